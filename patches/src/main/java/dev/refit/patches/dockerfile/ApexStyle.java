package dev.refit.patches.dockerfile;

import dev.refit.error.Causes;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Apex's style: each patch file is ADDed to {@code /tmp/} and applied with {@code patch -p1} in
 * the directory detected for its project, in order. The image must contain {@code /bin/sh} and
 * {@code patch}. A patch that does not apply fails the build: there is no {@code || echo} as in
 * Apex's generated files. Stateless and thread-safe; blocking (hashes the patch files).
 */
final class ApexStyle {

  private ApexStyle() {}

  static StyleBody body(ImagePatches image) {
    String service = image.service();
    List<String> lines = new ArrayList<>();
    List<ContextFile> files = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (AppliedPatch p : image.patches()) {
      if (p.patchFile() == null) {
        throw new DockerfileException("image " + service + ": patch " + p.id() + " has no patch file;"
            + " the apex style applies .patch files with patch -p1 (install/ trees cannot be), use"
            + " dockerfile_style: copy");
      }
      if (p.targetDir() == null) {
        throw new DockerfileException("image " + service + ": patch " + p.id() + " has no target"
            + " directory; the apex style must know where to run patch -p1");
      }
      String dir = targetDir(service, p);
      String name = uniqueName(p.id(), names);
      ContextFile file = hashed(service, name, p);
      files.add(file);
      lines.add("ADD " + name + " /tmp/");
      lines.add("RUN cd " + DockerfileSyntax.shellWord("/" + dir) + " && patch -p1 < /tmp/" + name);
    }
    return new StyleBody(lines, files);
  }

  private static String targetDir(String service, AppliedPatch p) {
    try {
      return PathSafety.normaliseDir(p.targetDir());
    } catch (UnsafePathException e) {
      throw new UnsafePathException(p.targetDir(), "target directory of patch " + p.id()
          + " for image " + service + " is not a safe path inside the image");
    }
  }

  /**
   * {@code <id>.patch} with anything outside {@code [A-Za-z0-9._-]} replaced, so the name needs
   * no quoting in ADD and RUN; a repeated id gets {@code -2}, {@code -3}...
   */
  static String uniqueName(String id, Set<String> taken) {
    String base = id.replaceAll("[^A-Za-z0-9._-]", "_");
    if (base.startsWith(".") || base.startsWith("-")) {
      base = "_" + base;
    }
    String name = base + ".patch";
    for (int n = 2; !taken.add(name); n++) {
      name = base + "-" + n + ".patch";
    }
    return name;
  }

  private static ContextFile hashed(String service, String name, AppliedPatch p) {
    HashingOutputStream hashed = HashingOutputStream.discarding(Digest.Algorithm.SHA256);
    try (InputStream in = Files.newInputStream(p.patchFile())) {
      in.transferTo(hashed);
    } catch (NoSuchFileException e) {
      throw new DockerfileException("image " + service + ": patch file of " + p.id()
          + " not found: " + p.patchFile(), e);
    } catch (IOException e) {
      throw new DockerfileException("image " + service + ": cannot read patch file of " + p.id()
          + " (" + p.patchFile() + "): " + Causes.describe(e), e);
    }
    return new ContextFile(name, p.patchFile(), 0644, hashed.count(), hashed.digest());
  }
}
