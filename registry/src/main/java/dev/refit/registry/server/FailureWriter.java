package dev.refit.registry.server;

import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.InvalidDigestException;
import dev.refit.registry.store.BlobUnknownException;
import dev.refit.registry.store.InvalidRepositoryNameException;
import dev.refit.registry.store.InvalidTagException;
import dev.refit.registry.store.StorageFullException;
import dev.refit.registry.store.fs.ManifestUnreadableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The one place that turns a failure into an HTTP answer: {@code {"errors":[{"code","message",
 * "detail"}]}} with the code's status (distribution-spec "Error Codes"). Event-loop only.
 *
 * <p>A request whose body was not consumed is drained first, so the client, still sending, reads
 * a clean error instead of a reset connection.
 */
final class FailureWriter {
  private static final System.Logger LOG = System.getLogger(FailureWriter.class.getName());

  /**
   * How long, and for how many bytes, an early-answered body is still read before closing: a
   * body of unknown or large length for {@code LINGER_BYTES}, one whose declared length is at
   * most {@code DRAIN_BYTES} (twice the default manifest limit) to its end. Closing with unread
   * bytes makes the kernel reset the connection, and a client still sending then loses the
   * answer (seen with the JDK client on a manifest just over the limit).
   */
  private static final long LINGER_MILLIS = 2_000;
  private static final long LINGER_BYTES = 4L * 1024 * 1024;
  private static final long DRAIN_BYTES = 16L * 1024 * 1024;
  private static final OutOfFilesLog OUT_OF_FILES = new OutOfFilesLog(LOG, System::nanoTime);

  private FailureWriter() {}

  /** Maps any throwable to the registry failure a client should see. */
  static RegistryException classify(Throwable err) {
    if (err instanceof RegistryException re) {
      return re;
    }
    if (err instanceof DigestMismatchException dm) {
      return new RegistryException(ErrorCode.DIGEST_INVALID, dm.getMessage(),
          Map.of("expected", dm.expected().toString(), "actual", dm.actual().toString()));
    }
    if (err instanceof InvalidDigestException) {
      return RegistryException.of(ErrorCode.DIGEST_INVALID, err.getMessage());
    }
    if (err instanceof InvalidRepositoryNameException) {
      return RegistryException.of(ErrorCode.NAME_INVALID, err.getMessage());
    }
    if (err instanceof InvalidTagException) {
      return RegistryException.of(ErrorCode.MANIFEST_INVALID, err.getMessage());
    }
    if (err instanceof BlobUnknownException bu) {
      return new RegistryException(ErrorCode.BLOB_UNKNOWN, err.getMessage(),
          Map.of("digest", bu.digest().toString()));
    }
    if (err instanceof ManifestUnreadableException mu) {
      LOG.log(System.Logger.Level.WARNING, mu.getMessage());
      return new RegistryException(ErrorCode.MANIFEST_UNREADABLE, mu.getMessage(),
          Map.of("hint", mu.hint()));
    }
    if (StorageFullException.isDiskFull(err)) {
      // RFC 4918 11.5: 507 names the condition in the status line; the spec has no error code
      // for it, and DENIED would read as an authorisation failure. No server path in the text.
      LOG.log(System.Logger.Level.WARNING, "registry request failed: " + err.getMessage());
      return RegistryException.of(ErrorCode.UNKNOWN,
          "the registry's storage is full (no space left on device); nothing was stored."
              + " Push again after the registry's operator frees space").withStatus(507);
    }
    if (OutOfFilesLog.isOutOfFiles(err)) {
      // One line a minute, not a stack trace per failed store call; 503 because it passes.
      OUT_OF_FILES.failed(err);
      return RegistryException.of(ErrorCode.UNKNOWN,
          "the registry is out of file descriptors; retry shortly").withStatus(503)
          .withHeader("Retry-After", "1");
    }
    LOG.log(System.Logger.Level.ERROR, "registry request failed unexpectedly", err);
    return RegistryException.of(ErrorCode.UNKNOWN,
        "internal error: " + err.getClass().getSimpleName() + ": " + err.getMessage());
  }

  static void write(HttpServerRequest request, Throwable err) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Part of a success was already sent (e.g. sendFile broke mid-way): the only honest signal
      // left is to reset the stream (HTTP/1.x: close the connection) so the client sees a short read.
      response.reset();
      return;
    }
    RegistryException failure = classify(err);
    if (request.isEnded()) {
      send(request, failure);
    } else if (Bodies.withheld(request)) {
      // The client awaits 100-continue and will not send the body: answer now, and close, since
      // the unsent body leaves the connection in an undefined state (RFC 9110 10.1.1).
      if (request.version() == HttpVersion.HTTP_2) {
        send(request, failure);
      } else {
        response.putHeader("Connection", "close");
        send(request, failure).onComplete(ar -> request.connection().close());
      }
    } else if (failure.status() == 413) {
      answerEarly(request, failure);
    } else {
      request.handler(ignored -> {});
      request.endHandler(v -> send(request, failure));
      request.exceptionHandler(e -> response.reset());
      request.resume();
    }
  }

  /**
   * Answers a body that is already too large without reading the rest of it, which may be
   * gigabytes. HTTP/1.x: the connection is closed, after a short bounded linger that discards
   * what is in flight, so the client reads the answer instead of a reset (RFC 9112 9.6). HTTP/2:
   * the answer goes out at once and the rest of the stream is discarded as it comes, flow
   * controlled; resetting the stream after the answer (RFC 9113 8.1) made the JDK client hang.
   */
  private static void answerEarly(HttpServerRequest request, RegistryException failure) {
    HttpServerResponse response = request.response();
    if (request.version() == HttpVersion.HTTP_2) {
      request.handler(ignored -> {});
      request.exceptionHandler(e -> {});
      send(request, failure);
      request.resume();
      return;
    }
    long[] discarded = {0};
    long declared = declaredLength(request);
    long linger = declared >= 0 && declared <= DRAIN_BYTES ? DRAIN_BYTES : LINGER_BYTES;
    Runnable close = () -> request.connection().close();
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > linger) {
        request.pause();
        close.run();
      }
    });
    request.exceptionHandler(e -> {});
    request.endHandler(v -> close.run());
    response.putHeader("Connection", "close");
    send(request, failure).onComplete(ar -> {
      Context context = Vertx.currentContext();
      if (context == null) {
        close.run();
      } else {
        context.owner().setTimer(LINGER_MILLIS, id -> close.run());
      }
    });
    request.resume();
  }

  /** The request's Content-Length, or -1 when it has none (chunked) or it is not a number. */
  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null || !value.trim().matches("\\d{1,18}")) {
      return -1;
    }
    return Long.parseLong(value.trim());
  }

  private static Future<Void> send(HttpServerRequest request, RegistryException failure) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    JsonObject entry = new JsonObject()
        .put("code", failure.code().name())
        .put("message", failure.getMessage());
    if (failure.detail() != null) {
      entry.put("detail", failure.detail());
    }
    Buffer body = new JsonObject().put("errors", new JsonArray().add(entry)).toBuffer();
    response.setStatusCode(failure.status());
    failure.headers().forEach(response::putHeader);
    if (failure.code() == ErrorCode.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Basic realm=\"refit\"");
    }
    response.putHeader("Content-Type", "application/json");
    response.putHeader("Content-Length", Integer.toString(body.length()));
    return request.method() == HttpMethod.HEAD ? response.end() : response.end(body);
  }
}
