package dev.refit.patches.source;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.settings.deploy.PatchSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads local patch sources: a {@code .patch}/{@code .diff} file (format-patch mbox or plain
 * unified diff; parsing is the engine's job), a kolla/quilt style {@code series} file, and an
 * install/ tree. Blocking; stateless.
 */
final class LocalPatches {
  static final String SERIES = "series";

  private LocalPatches() {}

  /** One patch, or every patch a {@code series} file lists, in order. */
  static List<FetchedPatch> load(PatchSpec spec) {
    Path file = spec.file();
    if (!Files.isRegularFile(file)) {
      throw new PatchSourceException("patch file " + file + " (configured at " + spec.origin()
          + ") does not exist or is not a regular file");
    }
    if (!SERIES.equals(String.valueOf(file.getFileName()))) {
      return List.of(new FetchedPatch(spec, file, null, FetchedPatch.STATUS_FILE, null,
          sha256(file)));
    }
    List<FetchedPatch> out = new ArrayList<>();
    for (String name : seriesEntries(file)) {
      Path member = file.toAbsolutePath().getParent().resolve(name).normalize();
      if (!member.startsWith(file.toAbsolutePath().getParent())) {
        throw new PatchSourceException("series file " + file + " lists " + name
            + ", which is outside its directory");
      }
      if (!Files.isRegularFile(member)) {
        throw new PatchSourceException("series file " + file + " (configured at "
            + spec.origin() + ") lists " + name + ", which does not exist");
      }
      PatchSpec memberSpec = PatchSpec.file(name, spec.project(), member, spec.origin());
      out.add(new FetchedPatch(memberSpec, member, null, FetchedPatch.STATUS_FILE, null,
          sha256(member)));
    }
    if (out.isEmpty()) {
      throw new PatchSourceException("series file " + file + " (configured at " + spec.origin()
          + ") lists no patches");
    }
    return out;
  }

  /**
   * Patch names of a series file: one per line, '#' starts a comment, blank lines ignored, and
   * quilt options after the name (such as {@code -p1}) are dropped.
   */
  static List<String> seriesEntries(Path series) {
    List<String> names = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(series, StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String s = (hash < 0 ? line : line.substring(0, hash)).strip();
        if (!s.isEmpty()) {
          names.add(s.split("\\s+", 2)[0]);
        }
      }
    } catch (IOException e) {
      throw new PatchSourceException("cannot read series file " + series + ": " + Causes.describe(e), e);
    }
    return names;
  }

  /** An install/ tree: the directory, with a digest over its sorted "path sha256" lines. */
  static FetchedPatch tree(PatchSpec spec) {
    Path dir = spec.tree();
    if (!Files.isDirectory(dir)) {
      throw new PatchSourceException("tree " + dir + " (configured at " + spec.origin()
          + ") does not exist or is not a directory");
    }
    return new FetchedPatch(spec, dir, null, FetchedPatch.STATUS_TREE, null, PatchDigests.tree(dir));
  }

  static Digest sha256(Path file) {
    return PatchDigests.file(file);
  }
}
