package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Crash-safe file primitives of the store: atomic replace, directory fsync, streaming hash.
 * Thread-safe (stateless). Blocking.
 *
 * <p>Crash safety rests on POSIX rename(2) being atomic within one filesystem: a reader sees the
 * old file or the new one, never a torn one. The data is fsynced before the rename and the
 * directory after it, so after a power cut the name points at complete bytes or does not exist.
 */
final class FsFiles {
  /** Fixed buffer for streaming; the heap never holds a whole blob. */
  static final int BUFFER = 64 * 1024;

  private FsFiles() {}

  /** Writes {@code content} to a temp file beside {@code target}, then renames it over target. */
  static void writeAtomically(Path target, byte[] content) {
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveAtomically(temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StoreException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Renames source onto target atomically (replacing it), then fsyncs target's directory. */
  static void moveAtomically(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the filesystem under " + target.getParent() + " cannot rename atomically; the store"
              + " root must be on a local POSIX filesystem", e);
    }
    fsyncDir(target.getParent());
  }

  static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems refuse to open directories; the rename itself is still atomic.
    }
  }

  static Optional<String> readString(Path p) {
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** Marks a file as just used, so that GC's grace period protects it. False if it is gone. */
  static boolean touch(Path p) {
    try {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new StoreException("cannot update mtime of " + p + ": " + e.getMessage(), e);
    }
  }

  static boolean deleteQuietly(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes a directory tree; missing is fine. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.deleteIfExists(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // A concurrent delete got there first.
    } catch (IOException e) {
      throw new StoreException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Streams {@code file} through a fresh hasher with a fixed buffer. */
  static Digest hash(Path file, Digest.Algorithm algorithm) {
    MessageDigest md = algorithm.newHasher();
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        md.update(buf);
        buf.clear();
      }
    } catch (IOException e) {
      throw new StoreException("cannot read " + file + " to hash it: " + e.getMessage(), e);
    }
    return Digest.of(algorithm, md.digest());
  }

  /** Visible (non-temp) entries of a directory; empty when it does not exist. */
  static List<Path> list(Path dir) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }
}
