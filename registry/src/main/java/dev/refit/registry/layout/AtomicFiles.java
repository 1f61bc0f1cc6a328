package dev.refit.registry.layout;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Crash-safe file writes: data goes to a temp file beside the target, is fsynced, then renamed
 * into place and the directory fsynced, so a reader sees the old file or the whole new one.
 * Stateless; thread-safe (temp names are unique). Blocking.
 */
final class AtomicFiles {
  private static final int BUFFER = 64 * 1024;

  /** Result of streaming into a temp file: where it is, what it hashes to, how long it is. */
  record Staged(Path temp, Digest digest, long size) {}

  private AtomicFiles() {}

  /** A temp file name in {@code dir} that no other writer uses. */
  static Path tempIn(Path dir) {
    return dir.resolve(".refit-" + UUID.randomUUID() + ".tmp");
  }

  /** Streams {@code in} to a new temp file in {@code dir}, hashing as it goes, then fsyncs it. */
  static Staged stage(InputStream in, Path dir, Digest.Algorithm algorithm) throws IOException {
    Path temp = tempIn(dir);
    MessageDigest hasher = algorithm.newHasher();
    long size = 0;
    boolean ok = false;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) >= 0; ) {
        hasher.update(buf, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        size += n;
      }
      out.force(true);
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
      }
    }
    return new Staged(temp, Digest.of(algorithm, hasher.digest()), size);
  }

  /**
   * Renames a staged file to {@code target} when it hashes to {@code expected} (null accepts any);
   * otherwise deletes it and throws. An existing target with the same digest is kept (content
   * addressed: same name, same bytes).
   */
  static void commit(Staged staged, Digest expected, Path target) throws IOException {
    try {
      if (expected != null && !expected.equals(staged.digest())) {
        throw new DigestMismatchException(expected, staged.digest());
      }
      Files.createDirectories(target.getParent());
      moveIntoPlace(staged.temp(), target);
    } finally {
      Files.deleteIfExists(staged.temp());
    }
  }

  /** Writes small content (index.json, oci-layout) atomically, replacing any old file. */
  static void writeReplacing(Path target, byte[] bytes) throws IOException {
    Path temp = tempIn(target.getParent());
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        out.force(true);
      }
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("filesystem of " + target.getParent() + " cannot rename atomically", e);
    }
    fsyncDirectory(target.getParent());
  }

  /** Makes a rename durable. Directories cannot be opened on every platform; then this is a no-op. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: not supported on this platform/filesystem
    }
  }
}
