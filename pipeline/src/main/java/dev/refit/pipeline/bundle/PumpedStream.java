package dev.refit.pipeline.bundle;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A bundle entry offered to a sink as a Vert.x stream, pumped by the thread that reads the tar:
 * that thread reads only as much as the sink asked for ({@link #fetch}), with at most a few
 * buffers on their way, and each buffer is delivered on the context that registered the handler
 * (the sink's pipe), so the sink sees an ordinary paused stream. The entry is never held whole.
 * Thread-safe: the stream methods run on the sink's context, {@link #pump} on the reader's thread.
 */
final class PumpedStream implements ReadStream<Buffer> {
  private static final int CHUNK = 256 * 1024;
  private static final int MAX_IN_FLIGHT = 4;
  private static final long WAIT_MILLIS = 200;

  private final Object lock = new Object();
  private long demand;
  private int inFlight;
  private Context context;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /**
   * Reads {@code in} to its end into the stream, as fast as the sink takes it.
   *
   * @param consumer the sink's write; when it completes before the end, the sink stopped reading
   * @throws IOException what reading {@code in} threw (also passed to the stream's exception handler),
   *     or that the sink stopped reading
   */
  void pump(InputStream in, Future<?> consumer) throws IOException {
    byte[] chunk = new byte[CHUNK];
    try {
      while (true) {
        awaitDemand(consumer);
        int n = in.read(chunk);
        if (n < 0) {
          deliver(v -> {
            Handler<Void> end = endHandler;
            if (end != null) {
              end.handle(null);
            }
          });
          return;
        }
        Buffer buffer = Buffer.buffer(n).appendBytes(chunk, 0, n);
        deliver(v -> {
          Handler<Buffer> h;
          synchronized (lock) {
            inFlight--;
            h = handler;
            lock.notifyAll();
          }
          if (h != null) {
            h.handle(buffer);
          }
        });
      }
    } catch (IOException e) {
      deliver(v -> {
        Handler<Throwable> failed = exceptionHandler;
        if (failed != null) {
          failed.handle(e);
        }
      });
      throw e;
    }
  }

  private void awaitDemand(Future<?> consumer) throws IOException {
    synchronized (lock) {
      while (demand == 0 || inFlight >= MAX_IN_FLIGHT) {
        if (consumer.isComplete()) {
          throw new IOException("the destination stopped reading"
              + (consumer.failed() ? ": " + consumer.cause().getMessage() : ""));
        }
        try {
          lock.wait(WAIT_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while loading a blob");
        }
      }
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      inFlight++;
    }
  }

  private void deliver(Handler<Void> action) {
    Context target;
    synchronized (lock) {
      target = context;
    }
    if (target != null) {
      target.runOnContext(action);
    } else {
      action.handle(null);
    }
  }

  @Override
  public PumpedStream handler(Handler<Buffer> h) {
    synchronized (lock) {
      handler = h;
      if (context == null) {
        context = Vertx.currentContext();
      }
    }
    return this;
  }

  @Override
  public PumpedStream pause() {
    synchronized (lock) {
      demand = 0;
    }
    return this;
  }

  @Override
  public PumpedStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public PumpedStream fetch(long amount) {
    synchronized (lock) {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      lock.notifyAll();
    }
    return this;
  }

  @Override
  public PumpedStream endHandler(Handler<Void> h) {
    synchronized (lock) {
      endHandler = h;
    }
    return this;
  }

  @Override
  public PumpedStream exceptionHandler(Handler<Throwable> h) {
    synchronized (lock) {
      exceptionHandler = h;
    }
    return this;
  }
}
