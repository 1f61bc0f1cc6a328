package dev.refit.patches.dockerfile;

import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes {@code docker_patches.tar.gz}, Apex's layout: {@code containers/<service>/Dockerfile}
 * plus each context's files. Reproducible: entries sorted, mtime 0, uid/gid 0 without names,
 * and a gzip header without timestamp or file name and a fixed OS byte, so equal inputs give
 * byte-identical archives (given the same zlib, which the JDK bundles or links).
 * Atomic: the archive is written to a temp file beside the target, fsynced and renamed; on any
 * failure the temp file is removed and an existing target is left untouched.
 * Stateless and thread-safe; blocking.
 */
public final class PatchesArchive {

  /** The archive's conventional file name. */
  public static final String FILE_NAME = "docker_patches.tar.gz";
  /** The top-level folder of the archive. */
  public static final String TOP = "containers/";

  private PatchesArchive() {}

  /**
   * Writes the contexts to {@code target}, replacing an existing file atomically.
   *
   * @throws DockerfileException when {@code contexts} is empty, two share a service, the target's
   *     directory is missing, a work file changed since patching, or writing fails; nothing is
   *     left behind then
   */
  public static ArchiveResult write(List<BuildContext> contexts, Path target) {
    List<BuildContext> sorted = checked(contexts, target);
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new DockerfileException("cannot write " + target + ": directory " + dir
          + " does not exist; create it or choose another output path");
    }
    try (AtomicFile file = AtomicFile.of(target)) {
      HashingOutputStream hashed = HashingOutputStream.sha256(file.output());
      try (TarArchiveOutputStream tar = ContextTar.open(gzip(hashed))) {
        ContextTar.directory(tar, TOP);
        for (BuildContext context : sorted) {
          ContextTar.append(tar, context, TOP + context.service() + "/");
        }
        tar.finish();
      }
      file.commit();
      List<String> services = sorted.stream().map(BuildContext::service).toList();
      return new ArchiveResult(target, hashed.digest(), hashed.count(), services);
    } catch (IOException e) {
      throw new DockerfileException("cannot write " + target + ": " + Causes.describe(e)
          + "; check free space and permissions of " + dir, e);
    }
  }

  private static List<BuildContext> checked(List<BuildContext> contexts, Path target) {
    if (contexts == null || contexts.isEmpty()) {
      throw new DockerfileException("no build contexts given for " + target + ": an archive"
          + " without images is refused; check that the plan maps at least one patch to an image");
    }
    List<BuildContext> sorted = new ArrayList<>(contexts);
    sorted.sort(Comparator.comparing(BuildContext::service));
    Set<String> seen = new HashSet<>();
    for (BuildContext c : sorted) {
      if (!seen.add(c.service())) {
        throw new DockerfileException("two build contexts for service " + c.service()
            + "; one Dockerfile per image");
      }
    }
    return sorted;
  }

  // RFC 1952 section 2.3: MTIME 0 means "no time stamp"; OS 255 is "unknown", the same on every
  // platform; no FNAME field. The compression level is fixed so the deflate stream is too.
  private static OutputStream gzip(OutputStream out) throws IOException {
    GzipParameters params = new GzipParameters();
    params.setModificationTime(0);
    params.setOperatingSystem(255);
    params.setCompressionLevel(9);
    return new GzipCompressorOutputStream(out, params);
  }
}
