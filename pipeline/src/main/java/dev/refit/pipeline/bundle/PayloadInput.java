package dev.refit.pipeline.bundle;

import dev.refit.registry.copy.BlobPayload;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source's blob as a blocking {@link InputStream}, so the bundle writer (one plain thread) can
 * copy it into the tar: a file is opened, a Vert.x stream is bridged with back-pressure (it is
 * paused while {@link #HIGH_WATER} buffers wait, and resumed on its context when the reader has
 * caught up). Blocking; one reader thread.
 */
final class PayloadInput extends InputStream {
  private static final int HIGH_WATER = 16;
  private static final int LOW_WATER = 4;
  private static final long STALL_MINUTES = 10;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReadStream<Buffer> stream;
  private final Context context;
  private volatile boolean paused;
  private Buffer current;
  private int position;
  private boolean ended;

  private PayloadInput(Vertx vertx, ReadStream<Buffer> stream) {
    this.stream = stream;
    this.context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      stream.handler(buffer -> {
        queue.add(buffer);
        if (queued.incrementAndGet() >= HIGH_WATER && !paused) {
          paused = true;
          stream.pause();
        }
      });
      stream.exceptionHandler(queue::add);
      stream.endHandler(ignored -> queue.add(END));
      stream.resume();
    });
  }

  static InputStream open(Vertx vertx, BlobPayload payload) throws IOException {
    if (payload instanceof BlobPayload.FromFile file) {
      return Files.newInputStream(file.file());
    }
    return new PayloadInput(vertx, ((BlobPayload.FromStream) payload).stream());
  }

  @Override
  public int read() throws IOException {
    return available(1) ? current.getByte(position++) & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (!available(len)) {
      return len == 0 ? 0 : -1;
    }
    int n = Math.min(len, current.length() - position);
    current.getBytes(position, position + n, b, off);
    position += n;
    return n;
  }

  /** True when a buffer holds unread bytes, waiting for the source as needed; false at the end. */
  private boolean available(int wanted) throws IOException {
    if (wanted == 0) {
      return false;
    }
    while (current == null || position == current.length()) {
      if (ended || !next()) {
        return false;
      }
    }
    return true;
  }

  private boolean next() throws IOException {
    Object item = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(STALL_MINUTES);
    try {
      while (item == null) {
        item = queue.poll(1, TimeUnit.SECONDS);
        if (item == null && paused) {
          // The queue drained while the flag said paused: never leave the source waiting on us.
          paused = false;
          context.runOnContext(v -> stream.resume());
        } else if (item == null && System.nanoTime() > deadline) {
          throw new IOException("the source sent nothing for " + STALL_MINUTES + " minutes");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading a blob");
    }
    if (item == END) {
      ended = true;
      return false;
    }
    if (item instanceof Throwable t) {
      throw new IOException("reading the source failed: " + t.getMessage(), t);
    }
    current = (Buffer) item;
    position = 0;
    if (queued.decrementAndGet() <= LOW_WATER && paused) {
      paused = false;
      context.runOnContext(v -> stream.resume());
    }
    return true;
  }

  /** Stops the source stream when the reader gives up early. */
  @Override
  public void close() {
    if (!ended) {
      ended = true;
      context.runOnContext(v -> stream.handler(null).pause());
    }
  }
}
