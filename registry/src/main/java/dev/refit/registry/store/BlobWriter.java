package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One in-progress upload. Bytes are appended in order, hashed while written, and become a
 * visible blob only through {@link #commit}. Not thread-safe: one request drives it at a time.
 */
public interface BlobWriter extends AutoCloseable {
  String id();

  /** Bytes received so far (the upload's offset; distribution-spec "Range: 0-(size-1)"). */
  long size();

  /**
   * Appends the buffers, in order, at the current end, hashing them as they pass; passing a
   * batch lets the store write it in a few large calls. Blocking.
   */
  void write(ByteBuffer... bytes);

  /** The temporary data file, for callers that stream into it themselves (then call {@link #appended}). */
  Path dataFile();

  /**
   * Records that {@code bytes} were appended to {@link #dataFile()} by the caller, so the
   * writer's hash and size stay in step. {@code chunk} is exactly those bytes.
   */
  void appended(ByteBuffer chunk);

  /**
   * Verifies that the content hashes to {@code expected}, then makes it visible atomically:
   * fsync, rename into the content-addressed path, fsync the directory. On a mismatch nothing
   * is stored and the upload is removed.
   *
   * @throws dev.refit.registry.oci.DigestMismatchException on mismatch
   */
  BlobInfo commit(Digest expected);

  /** Discards the upload. Safe to call more than once and after commit. */
  void cancel();

  @Override
  default void close() {
    cancel();
  }
}
