package dev.refit.registry.client;

import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;

/**
 * A {@link WriteStream} that hashes and counts every buffer on its way to a delegate, so a digest
 * is known the moment the last byte is written, without reading the data again. Event-loop
 * only (as its delegate). Hashing one network-sized buffer is far below a millisecond, so it
 * stays on the event loop; nothing here waits on IO.
 */
public final class HashingWriteStream implements WriteStream<Buffer> {
  private final WriteStream<Buffer> delegate;
  private final Digest.Algorithm algorithm;
  private MessageDigest hasher;
  private long count;

  public HashingWriteStream(WriteStream<Buffer> delegate, Digest.Algorithm algorithm) {
    this.delegate = delegate;
    this.algorithm = algorithm;
    this.hasher = algorithm.newHasher();
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The digest of everything written; call once, after the last write. */
  public Digest digest() {
    return Digest.of(algorithm, hasher.digest());
  }

  /** Forgets what was hashed, for a transfer that restarts from byte 0. */
  public void reset() {
    hasher = algorithm.newHasher();
    count = 0;
  }

  @Override
  public Future<Void> write(Buffer data) {
    hasher.update(data.getBytes());
    count += data.length();
    return delegate.write(data);
  }

  @Override
  public Future<Void> end() {
    return delegate.end();
  }

  @Override
  public HashingWriteStream exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public HashingWriteStream setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return delegate.writeQueueFull();
  }

  @Override
  public HashingWriteStream drainHandler(Handler<Void> handler) {
    delegate.drainHandler(handler);
    return this;
  }
}
