package dev.refit.registry.io;

import dev.refit.registry.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * refit's one streaming hash for blocking code: hashes and counts every byte on its way to a
 * delegate, so a digest is known once the last byte is written, without reading the data again.
 * Not thread-safe (as any stream); blocking as its delegate. The Vert.x counterpart is
 * {@code client.HashingWriteStream}.
 */
public final class HashingOutputStream extends FilterOutputStream {
  private final Digest.Algorithm algorithm;
  private final MessageDigest hasher;
  private long count;

  /** Hashes what passes to {@code out}; closing this stream closes {@code out}. */
  public HashingOutputStream(OutputStream out, Digest.Algorithm algorithm) {
    super(out);
    this.algorithm = algorithm;
    this.hasher = algorithm.newHasher();
  }

  /** A sha256 of what passes to {@code out}. */
  public static HashingOutputStream sha256(OutputStream out) {
    return new HashingOutputStream(out, Digest.Algorithm.SHA256);
  }

  /** A sink that only hashes and counts. */
  public static HashingOutputStream discarding(Digest.Algorithm algorithm) {
    return new HashingOutputStream(OutputStream.nullOutputStream(), algorithm);
  }

  /** The digest of everything {@code in} holds, read to its end; the caller closes {@code in}. */
  public static Digest hash(InputStream in, Digest.Algorithm algorithm) throws IOException {
    HashingOutputStream sink = discarding(algorithm);
    in.transferTo(sink);
    return sink.digest();
  }

  /** The digest of a file's content, read in a stream (the heap never holds the whole file). */
  public static Digest hash(Path file, Digest.Algorithm algorithm) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hash(in, algorithm);
    }
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    hasher.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    hasher.update(b, off, len);
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The digest of everything written; call once, after the last write. */
  public Digest digest() {
    return Digest.of(algorithm, hasher.digest());
  }
}
