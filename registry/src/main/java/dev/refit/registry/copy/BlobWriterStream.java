package dev.refit.registry.copy;

import dev.refit.registry.store.BlobWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;

/**
 * Adapts a blocking {@link BlobWriter} to a Vert.x {@link WriteStream}: each buffer is appended on
 * a worker pool, strictly in order, with back-pressure when too many bytes are in flight.
 * Event-loop only (one context drives it; worker completions return to that context).
 */
final class BlobWriterStream implements WriteStream<Buffer> {
  private final BlobWriter writer;
  private final WorkerExecutor worker;
  private int maxPending = 4 * 1024 * 1024;
  private Future<Void> tail = Future.succeededFuture();
  private long pending;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  BlobWriterStream(BlobWriter writer, WorkerExecutor worker) {
    this.writer = writer;
    this.worker = worker;
  }

  @Override
  public Future<Void> write(Buffer data) {
    int length = data.length();
    pending += length;
    ByteBuffer bytes = ByteBuffer.wrap(data.getBytes());
    tail = tail.compose(v -> worker.<Void>executeBlocking(() -> {
      writer.write(bytes);
      return null;
    }, false));
    Future<Void> written = tail;
    written.onComplete(ar -> {
      pending -= length;
      if (ar.failed() && exceptionHandler != null) {
        exceptionHandler.handle(ar.cause());
      }
      Handler<Void> drain = drainHandler;
      if (drain != null && pending <= maxPending / 2) {
        drainHandler = null;
        drain.handle(null);
      }
    });
    return written;
  }

  /** Completes when every queued write has reached the writer (commit is the caller's job). */
  @Override
  public Future<Void> end() {
    return tail;
  }

  @Override
  public BlobWriterStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BlobWriterStream setWriteQueueMaxSize(int maxSize) {
    this.maxPending = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return pending >= maxPending;
  }

  @Override
  public BlobWriterStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
