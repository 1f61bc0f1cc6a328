package dev.refit.patches.dockerfile;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      MessageDigest hasher = Digest.Algorithm.SHA256.newHasher();
      long size;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        DigestOutputStream hashed = new DigestOutputStream(unclosable(Channels.newOutputStream(channel)), hasher);
        try (TarArchiveOutputStream tar = ContextTar.open(gzip(hashed))) {
          ContextTar.directory(tar, TOP);
          for (BuildContext context : sorted) {
            ContextTar.append(tar, context, TOP + context.service() + "/");
          }
          tar.finish();
        }
        channel.force(true);
        size = channel.size();
      }
      moveIntoPlace(temp, target);
      List<String> services = sorted.stream().map(BuildContext::service).toList();
      return new ArchiveResult(target, Digest.of(Digest.Algorithm.SHA256, hasher.digest()), size, services);
    } catch (IOException e) {
      throw new DockerfileException("cannot write " + target + ": " + Causes.describe(e)
          + "; check free space and permissions of " + dir, e);
    } finally {
      deleteQuietly(temp);
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

  // Closing the tar stream ends the deflater; the channel stays open to be fsynced.
  private static OutputStream unclosable(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the filesystem of " + target + " cannot rename atomically", e);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // Nothing more to do: the temp name is unique and hidden; report the original failure.
    }
  }
}
