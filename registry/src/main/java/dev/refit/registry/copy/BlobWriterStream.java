package dev.refit.registry.copy;

import dev.refit.registry.store.BlobWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts a blocking {@link BlobWriter} to a Vert.x {@link WriteStream}: buffers are gathered
 * into batches of at least {@link #MIN_BATCH_BYTES} and each batch is appended on a worker pool
 * in one call, strictly in order, with back-pressure when too many bytes are in flight (the
 * server's upload sink does the same for request bodies). Event-loop only (one context drives
 * it; worker completions return to that context).
 */
final class BlobWriterStream implements WriteStream<Buffer> {
  /** Bytes gathered before a batch goes to the worker: fewer hops, and large write(2) calls. */
  static final int MIN_BATCH_BYTES = 256 * 1024;

  private final BlobWriter writer;
  private final WorkerExecutor worker;
  private int maxPending = 4 * 1024 * 1024;
  private Future<Void> tail = Future.succeededFuture();
  private List<Buffer> batch = new ArrayList<>();
  private long batchBytes;
  private long pending;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  BlobWriterStream(BlobWriter writer, WorkerExecutor worker) {
    this.writer = writer;
    this.worker = worker;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    pending += data.length();
    batch.add(data);
    batchBytes += data.length();
    if (batchBytes < MIN_BATCH_BYTES) {
      return Future.succeededFuture();
    }
    return flush();
  }

  /** Queues the gathered buffers as one append after the ones before it. */
  private Future<Void> flush() {
    if (batch.isEmpty()) {
      return tail;
    }
    List<Buffer> buffers = batch;
    long length = batchBytes;
    batch = new ArrayList<>();
    batchBytes = 0;
    tail = tail.compose(v -> worker.<Void>executeBlocking(() -> {
      // Views of the received bytes, not copies.
      ByteBuffer[] views = new ByteBuffer[buffers.size()];
      for (int i = 0; i < views.length; i++) {
        views[i] = ((BufferInternal) buffers.get(i)).getByteBuf().nioBuffer();
      }
      writer.write(views);
      return null;
    }, false));
    Future<Void> written = tail;
    written.onComplete(ar -> {
      pending -= length;
      if (ar.failed() && failure == null) {
        failure = ar.cause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(ar.cause());
        }
      }
      Handler<Void> drain = drainHandler;
      if (drain != null && pending <= maxPending / 2) {
        drainHandler = null;
        drain.handle(null);
      }
    });
    return written;
  }

  /** Completes when every buffer has reached the writer (commit is the caller's job). */
  @Override
  public Future<Void> end() {
    return flush();
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
