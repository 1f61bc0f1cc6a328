package dev.refit.pipeline.rebuild.docker;

import dev.refit.patches.dockerfile.BuildContext;
import dev.refit.patches.dockerfile.PatchesArchive;
import dev.refit.pipeline.rebuild.RebuildException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Cuts one image's build context out of {@code docker_patches.tar.gz}: the entries under
 * {@code containers/<service>/}, renamed to the context root, streamed entry by entry from the
 * gzip into a plain tar (file bytes are never held whole). Stateless and thread-safe; blocking.
 */
final class ArchiveContext {

  /** A Dockerfile refit writes is a few KiB; this bounds reading it to check its FROM line. */
  private static final int MAX_DOCKERFILE_BYTES = 1 << 20;

  private ArchiveContext() {}

  /**
   * Writes the context of {@code service} to {@code out} (not closed).
   *
   * @param expectedFrom the {@code FROM} reference the Dockerfile must name ({@code registry/repo@digest})
   * @throws RebuildException when the archive has no such service or its Dockerfile builds on another base
   */
  static void extract(Path archive, String service, String expectedFrom, OutputStream out) throws IOException {
    String prefix = PatchesArchive.TOP + service + "/";
    boolean dockerfile = false;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(raw),
            StandardCharsets.UTF_8.name())) {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (!e.getName().startsWith(prefix) || e.getName().equals(prefix)) {
          continue;
        }
        String name = e.getName().substring(prefix.length());
        e.setName(name);
        if (name.equals(BuildContext.DOCKERFILE)) {
          dockerfile = true;
          byte[] text = in.readNBytes(MAX_DOCKERFILE_BYTES + 1);
          checkFrom(archive, service, new String(text, StandardCharsets.UTF_8), expectedFrom, text.length);
          e.setSize(text.length);
          tar.putArchiveEntry(e);
          tar.write(text);
        } else {
          tar.putArchiveEntry(e);
          if (e.isFile()) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      if (!dockerfile) {
        throw new RebuildException("docker rebuild of " + service + ": " + archive + " has no "
            + prefix + BuildContext.DOCKERFILE + "; write the archive with this image's patches"
            + " or let the docker builder write the context itself");
      }
      tar.finish();
      tar.flush();
    } catch (NoSuchFileException e) {
      throw new RebuildException("docker rebuild of " + service + ": patches archive " + archive
          + " does not exist; run the patch stage first", e);
    }
  }

  /** The archive must have been written for the very base the request pins, or provenance would lie. */
  private static void checkFrom(Path archive, String service, String text, String expectedFrom, int size) {
    if (size > MAX_DOCKERFILE_BYTES) {
      throw new RebuildException("docker rebuild of " + service + ": the Dockerfile in " + archive
          + " is larger than " + MAX_DOCKERFILE_BYTES + " bytes; it was not written by refit");
    }
    String from = text.lines().map(String::strip).filter(l -> l.regionMatches(true, 0, "FROM ", 0, 5))
        .findFirst().map(l -> l.substring(5).strip()).orElse(null);
    if (!expectedFrom.equals(from)) {
      throw new RebuildException("docker rebuild of " + service + ": the Dockerfile in " + archive
          + " builds FROM " + from + ", but the request's base is " + expectedFrom
          + "; the archive is stale, write it again for this plan");
    }
  }
}
