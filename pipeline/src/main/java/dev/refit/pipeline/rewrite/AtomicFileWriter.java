package dev.refit.pipeline.rewrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Replaces a file's content atomically: the new bytes go to a temporary file in the same
 * directory and are fsynced, the original is copied to {@code <file>.bak}, then the temporary file
 * is renamed over the original (rename(2) is atomic within a file system) and the directory is
 * fsynced. On any failure the temporary file is removed and the original is untouched. Blocking;
 * thread-safe for different files.
 */
final class AtomicFileWriter {

  private AtomicFileWriter() {
  }

  /**
   * Writes {@code bytes} to {@code link}; returns the {@code .bak} path. A symbolic link is
   * followed, so the link stays and its target gets the new content (and the .bak beside it).
   */
  static Path replace(Path link, byte[] bytes) {
    Path file;
    try {
      file = link.toRealPath();
    } catch (IOException e) {
      throw new RewriteException(link, "cannot resolve the file to write: " + e, e);
    }
    Path dir = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString();
    Path backup = file.resolveSibling(name + ".bak");
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + name + ".", ".refit-tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      copyPermissions(file, tmp);
      Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      fsync(backup);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically in " + dir, e);
      }
      tmp = null;
      fsyncDirectory(dir);
      return backup;
    } catch (IOException | RuntimeException e) {
      throw new RewriteException(file, "could not write the rewritten file: " + e
          + "; check that its directory is writable and has free space", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the failure above is what the caller needs to see
        }
      }
    }
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    if (view != null) {
      Files.setPosixFilePermissions(to, view.readAttributes().permissions());
    }
  }

  private static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Makes the rename durable (fsync(2) on the directory); not every platform allows it. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // Windows and some file systems refuse to open directories; the rename has happened anyway
    }
  }
}
