package dev.refit.patches.engine;

import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes new file contents into a work directory, hashing while writing, and removes everything
 * it wrote when the operation fails, so a failed patch leaves no output behind. Confined to one
 * thread; blocking.
 */
final class WorkFiles {

  /** One written file: where, how big, and its sha256. */
  record Written(Path file, long size, Digest sha256) {}

  private final Path dir;
  private final List<Path> created = new ArrayList<>();

  WorkFiles(Path dir) {
    this.dir = dir;
  }

  Written write(byte[] bytes) {
    return copy(new java.io.ByteArrayInputStream(bytes));
  }

  /** Streams {@code in} into a new work file; the caller closes {@code in}. */
  Written copy(InputStream in) {
    try {
      Files.createDirectories(dir);
      Path file = Files.createTempFile(dir, "refit-", ".content");
      created.add(file);
      HashingOutputStream out = HashingOutputStream.sha256(Files.newOutputStream(file));
      try (out) {
        in.transferTo(out);
      }
      return new Written(file, out.count(), out.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write work file in " + dir, e);
    }
  }

  /** Removes a file written earlier that the result no longer needs. */
  void discard(Path file) {
    if (created.remove(file)) {
      deleteQuietly(file);
    }
  }

  /** Removes every file written so far. */
  void cleanup() {
    for (Path f : created) {
      deleteQuietly(f);
    }
    created.clear();
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      // Best effort: a leftover temp file in the caller's work dir is harmless.
    }
  }
}
