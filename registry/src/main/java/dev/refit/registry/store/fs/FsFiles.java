package dev.refit.registry.store.fs;

import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.StorageFullException;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's file primitives, over refit's shared ones in {@code dev.refit.registry.io}, with
 * failures turned into {@link StoreException}. Thread-safe (stateless). Blocking.
 *
 * <p>Crash safety rests on POSIX rename(2) being atomic within one filesystem (see
 * {@link AtomicFile}): after a power cut a name points at complete bytes or does not exist.
 */
final class FsFiles {
  /** Fixed buffer for streaming; the heap never holds a whole blob. */
  static final int BUFFER = 64 * 1024;

  private FsFiles() {}

  /** Writes {@code content} to a temp file beside {@code target}, then renames it over target. */
  static void writeAtomically(Path target, byte[] content) {
    try {
      AtomicFile.write(target, content);
    } catch (IOException e) {
      throw StorageFullException.of("cannot write " + target, e);
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

  /** Deletes a directory tree on a failure path, where a second failure must not hide the first. */
  static void deleteQuietlyTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      // The caller is already failing; upload expiry removes what is left.
    }
  }

  /** Deletes a directory tree; missing is fine. */
  static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new StoreException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Streams {@code file} through a fresh hasher. */
  static Digest hash(Path file, Digest.Algorithm algorithm) {
    try {
      return HashingOutputStream.hash(file, algorithm);
    } catch (IOException e) {
      throw new StoreException("cannot read " + file + " to hash it: " + e.getMessage(), e);
    }
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
