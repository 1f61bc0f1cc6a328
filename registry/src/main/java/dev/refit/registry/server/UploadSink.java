package dev.refit.registry.server;

import dev.refit.registry.store.BlobWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts a {@link BlobWriter} to a Vert.x {@link WriteStream}, so a request body can be piped
 * straight into an upload: each buffer is appended and hashed by the store on the worker pool,
 * at most one batch at a time, and the queue is bounded so the pipe pauses the request
 * (backpressure) instead of holding the body in memory. Event-loop only.
 *
 * <p>After a failure (body over {@code limit}, store error) further buffers are discarded, so the
 * client can finish sending and read a clean error; {@link #end()} then fails with the cause.
 */
final class UploadSink implements WriteStream<Buffer> {
  /**
   * Bytes gathered before a batch goes to the worker, unless the body has ended: fewer context
   * hops, and write(2) calls of at least this size. Below half the queue limit, so the pipe
   * never pauses with less than this queued.
   */
  static final int MIN_BATCH_BYTES = 256 * 1024;

  private final Worker worker;
  private final BlobWriter writer;
  private final long limit;
  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private int maxQueueBytes = 1 << 20;
  private long queuedBytes;
  private long received;
  private boolean writing;
  private Throwable failure;
  private Promise<Void> ended;
  private Promise<Void> idle;
  private Handler<Void> drainHandler;
  /** Set when the pipe was told the queue is full, so it waits for a drain signal. */
  private boolean full;
  /** Set once no more bytes will come (end, or the client went away): write what is queued. */
  private boolean flushing;

  UploadSink(Worker worker, BlobWriter writer, long limit) {
    this.worker = worker;
    this.writer = writer;
    this.limit = limit;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure == null) {
      received += data.length();
      if (received > limit) {
        failure = RegistryException.tooLarge("upload request body", limit);
      } else {
        pending.add(data);
        queuedBytes += data.length();
      }
      pump();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    if (ended == null) {
      ended = Promise.promise();
      flushing = true;
      pump();
    }
    return ended.future();
  }

  /**
   * Stops accepting bytes and completes once no store write is in flight, so that the caller may
   * safely cancel or inspect the (not thread-safe) writer afterwards.
   */
  Future<Void> abort(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    pending.clear();
    if (!writing) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    return idle.future();
  }

  /**
   * For a body that stopped early (the client went away): writes every buffer already received,
   * then completes, so the upload ends on whole appends whose bytes the store has hashed. Fails
   * if the sink had failed (over the limit, store error); the upload is then not to be kept.
   */
  Future<Void> settle() {
    if (failure != null) {
      return abort(failure).transform(ignored -> Future.failedFuture(failure));
    }
    if (!writing && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    flushing = true;
    pump();
    return idle.future().compose(v -> failure == null ? Future.succeededFuture()
        : Future.failedFuture(failure));
  }

  private void pump() {
    if (writing) {
      return;
    }
    if (failure != null) {
      pending.clear();
      queuedBytes = 0;
    }
    if (pending.isEmpty()) {
      if (idle != null) {
        idle.tryComplete();
      }
      if (ended != null) {
        if (failure == null) {
          ended.tryComplete();
        } else {
          ended.tryFail(failure);
        }
      }
      signalDrain();
      return;
    }
    if (!flushing && queuedBytes < Math.min(MIN_BATCH_BYTES, maxQueueBytes / 2)) {
      return; // a hop to the worker per socket read would cost more than the write itself
    }
    writing = true;
    List<Buffer> batch = new ArrayList<>(pending);
    pending.clear();
    long batchBytes = batch.stream().mapToLong(Buffer::length).sum();
    worker.run(() -> {
      // Views of the received bytes, not copies: getBytes() would copy every chunk once more.
      // One call for the whole batch, so the store can write it in large pieces.
      ByteBuffer[] views = new ByteBuffer[batch.size()];
      for (int i = 0; i < views.length; i++) {
        views[i] = ((BufferInternal) batch.get(i)).getByteBuf().nioBuffer();
      }
      writer.write(views);
      return null;
    }).onComplete(ar -> {
      writing = false;
      queuedBytes -= batchBytes;
      if (ar.failed() && failure == null) {
        failure = ar.cause();
      }
      pump();
    });
    signalDrain();
  }

  /** Resumes the pipe once a full queue has half emptied; never after end (source is done). */
  private void signalDrain() {
    if (full && ended == null && drainHandler != null && queuedBytes < maxQueueBytes / 2) {
      full = false;
      drainHandler.handle(null);
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this; // failures surface through end(); there is nothing asynchronous to report
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    this.maxQueueBytes = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    if (queuedBytes >= maxQueueBytes) {
      full = true;
    }
    return full;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
