package dev.refit.registry.client;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.LongFunction;

/**
 * A blob's bytes as one stream across broken connections: when a response breaks mid-body (a
 * reset, a truncated body), the rest is asked for with {@code Range: bytes=<received>-} and the
 * stream goes on, a bounded number of times (distribution-spec "Pulling Blobs" allows a Range
 * GET; RFC 9110 section 14.2). The bytes are hashed on the way: the stream ends only when they
 * match the digest, and otherwise fails, so a consumer that commits on end never takes a corrupt
 * blob. Event-loop only (the client's context, where every response handler runs).
 *
 * <p>Bytes are read off the connection as they arrive, up to {@link #HIGH_WATER} ahead of the
 * consumer, so a reset loses nothing that already arrived and the resume starts where the bytes
 * stopped. A server that ignores the Range (answers 200) cannot continue a stream that already
 * delivered bytes: the stream then fails, and the consumer starts over from byte 0.
 */
final class ResumingBlobStream implements ReadStream<Buffer> {
  /** Bytes read ahead of the consumer before the connection is paused. */
  private static final long HIGH_WATER = 1024 * 1024;

  private final Vertx vertx;
  private final Digest digest;
  private final RetryPolicy retry;
  private final LongFunction<Future<HttpClientResponse>> openFrom;
  private final String what;
  private final MessageDigest hasher;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private HttpClientResponse current;
  private long received;
  private long queued;
  private long demand;
  private int attempt = 1;
  private boolean bodyEnded;
  private boolean finished;
  private Throwable failure;
  private final boolean acceptsRanges;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  ResumingBlobStream(Vertx vertx, Digest digest, RetryPolicy retry, String what,
      HttpClientResponse first, LongFunction<Future<HttpClientResponse>> openFrom) {
    this.vertx = vertx;
    this.digest = digest;
    this.retry = retry;
    this.what = what;
    this.openFrom = openFrom;
    this.hasher = digest.algorithm().newHasher();
    this.acceptsRanges = String.valueOf(first.getHeader("Accept-Ranges")).contains("bytes");
    attach(first);
  }

  private void attach(HttpClientResponse resp) {
    current = resp;
    resp.handler(b -> {
      // The buffer's own bytes, not a copy (getBytes() would copy every blob byte once more).
      hasher.update(((BufferInternal) b).getByteBuf().nioBuffer());
      received += b.length();
      queue.add(b);
      queued += b.length();
      if (queued >= HIGH_WATER) {
        resp.pause();
      }
      drain();
    });
    resp.exceptionHandler(this::broken);
    resp.endHandler(v -> {
      bodyEnded = true;
      drain();
    });
    if (queued < HIGH_WATER) {
      resp.resume();
    }
  }

  /** Hands queued bytes to the consumer as far as it asked, then ends once all are handed over. */
  private void drain() {
    while (demand > 0 && !queue.isEmpty()) {
      Buffer b = queue.poll();
      queued -= b.length();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      if (handler != null) {
        handler.handle(b);
      }
    }
    if (queued < HIGH_WATER / 2 && !bodyEnded && !finished) {
      current.resume();
    }
    if (queue.isEmpty() && bodyEnded) {
      end();
    }
  }

  private void broken(Throwable e) {
    if (finished) {
      return;
    }
    HttpClientResponse dead = current;
    dead.handler(null).exceptionHandler(null).endHandler(null);
    if (!retry.hasAttemptAfter(attempt)) {
      fail(new RegistryClientException(what + " broke after " + received + " bytes and " + attempt
          + " attempts: " + Causes.describe(e), e));
      return;
    }
    long offset = received;
    if (offset > 0 && !acceptsRanges) {
      fail(new RegistryClientException(what + " broke after " + offset + " bytes, and the registry does not"
          + " accept ranges to resume: " + Causes.describe(e), e));
      return;
    }
    long wait = offset > 0 ? 1 : retry.delayAfter(attempt, null, Instant.now()).toMillis();
    attempt++;
    vertx.timer(Math.max(1, wait))
        .compose(v -> openFrom.apply(offset))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause());
          } else if (offset > 0 && !continues(ar.result(), offset)) {
            RegistryHttp.discard(ar.result());
            fail(new RegistryClientException(what + " broke after " + offset + " bytes and the registry"
                + " does not resume from there (HTTP " + ar.result().statusCode() + ", Content-Range '"
                + ar.result().getHeader("Content-Range") + "'): " + Causes.describe(e), e));
          } else {
            attach(ar.result());
          }
        });
  }

  private static boolean continues(HttpClientResponse resp, long offset) {
    return resp.statusCode() == 206
        && String.valueOf(resp.getHeader("Content-Range")).startsWith("bytes " + offset + "-");
  }

  private void end() {
    if (finished || demand == 0) {
      return;
    }
    Digest actual = Digest.of(digest.algorithm(), hasher.digest());
    if (!actual.equals(digest)) {
      DigestMismatchException cause = new DigestMismatchException(digest, actual);
      fail(new RegistryClientException(what + " failed verification after " + received + " bytes: "
          + Causes.describe(cause) + "; nothing was stored", cause));
      return;
    }
    finished = true;
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void fail(Throwable e) {
    finished = true;
    failure = e;
    if (exceptionHandler != null) {
      exceptionHandler.handle(e);
    }
  }

  @Override
  public ResumingBlobStream exceptionHandler(Handler<Throwable> value) {
    exceptionHandler = value;
    if (value != null && failure != null) {
      value.handle(failure); // failed before anyone listened
    }
    return this;
  }

  @Override
  public ResumingBlobStream handler(Handler<Buffer> value) {
    handler = value;
    return this;
  }

  @Override
  public ResumingBlobStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public ResumingBlobStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ResumingBlobStream fetch(long amount) {
    demand = amount >= Long.MAX_VALUE - demand ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public ResumingBlobStream endHandler(Handler<Void> value) {
    endHandler = value;
    return this;
  }
}
