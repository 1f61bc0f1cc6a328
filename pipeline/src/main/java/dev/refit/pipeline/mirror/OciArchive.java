package dev.refit.pipeline.mirror;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An OCI image layout in a tar ({@code oci-archive:FILE}, as skopeo reads and writes it), used
 * through a directory: a source archive is extracted once and read as an {@code oci:} layout, a
 * destination is written as a layout and packed into the file when the run closes. Extraction,
 * not a one-pass reader, because the copier reads manifests first and then blobs in any order,
 * several at a time, and a tar only reads in order; skopeo's {@code oci-archive} transport does
 * the same. Every blob streams between tar and file in 64 KiB buffers, never held whole.
 * Blocking.
 */
public final class OciArchive {
  private static final int BUFFER = 1 << 16;

  private OciArchive() {}

  /** Extracts {@code archive} into {@code dir} (created), refusing entries that leave it. */
  public static void extract(Path archive, Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(file, BUFFER))) {
      Files.createDirectories(root);
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw failed(archive, "entry " + e.getName() + " points outside the archive");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
        }
      }
    } catch (IOException e) {
      throw failed(archive, e.getMessage());
    }
  }

  /**
   * Packs the layout in {@code dir} into {@code archive}: {@code oci-layout} and
   * {@code index.json} first, then the blobs by name, with modification time 0 so the same
   * images make the same file. Written beside the target and renamed when complete.
   */
  public static void pack(Path dir, Path archive) {
    try (AtomicFile out = AtomicFile.of(archive)) {
      try (OutputStream file = Files.newOutputStream(out.temp());
          TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(file, BUFFER))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path p : entries(dir)) {
          String name = dir.relativize(p).toString().replace('\\', '/');
          boolean isDir = Files.isDirectory(p);
          TarArchiveEntry entry = new TarArchiveEntry(isDir ? name + "/" : name);
          entry.setModTime(0);
          entry.setMode(isDir ? 040755 : 0100644);
          entry.setSize(isDir ? 0 : Files.size(p));
          tar.putArchiveEntry(entry);
          if (!isDir) {
            Files.copy(p, tar);
          }
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      out.commit();
    } catch (IOException e) {
      throw failed(archive, e.getMessage());
    }
  }

  /** Deletes a work directory; a failure leaves it behind rather than failing the run. */
  static void discard(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // a leftover work directory under the temp dir is harmless
    }
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir) && !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> rank(dir, a) != rank(dir, b) ? Integer.compare(rank(dir, a), rank(dir, b))
              : a.compareTo(b))
          .toList();
    }
  }

  /** oci-layout, then index.json, then blobs/ and what is under it. */
  private static int rank(Path dir, Path p) {
    String name = dir.relativize(p).toString();
    return name.equals("oci-layout") ? 0 : name.equals("index.json") ? 1 : 2;
  }

  private static RefitException failed(Path archive, String why) {
    return new RefitException("cannot use oci-archive " + archive + ": " + why,
        "check that the file is an OCI layout in a tar (skopeo copy ... oci-archive:FILE writes one)",
        ExitCode.FAILED);
  }
}
