package dev.refit.registry.client;

import dev.refit.error.Causes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Sends {@link HttpCall}s to a registry with authentication, bounded retries and redirects, and
 * hands back the response head with its body paused. Thread-safe.
 *
 * <p>Retries cover connection errors and transient statuses (see {@link RetryPolicy}); a 401 is
 * answered by re-authenticating once. Redirects are followed for GET/HEAD, and the
 * {@code Authorization} header is dropped when a redirect leaves the registry's origin (blob
 * GETs often redirect to object storage that must not see registry credentials).
 */
final class RegistryHttp {
  private static final int MAX_ERROR_BODY = 4096;

  private final Vertx vertx;
  private final HttpClient http;
  private final Authenticator auth;
  private final RetryPolicy retry;
  private final ClientOptions options;

  RegistryHttp(Vertx vertx, HttpClient http, Authenticator auth, ClientOptions options) {
    this.vertx = vertx;
    this.http = http;
    this.auth = auth;
    this.retry = RetryPolicy.of(options);
    this.options = options;
  }

  /** The response for {@code call} with an expected status, body paused; the caller consumes it. */
  Future<HttpClientResponse> send(HttpCall call) {
    return attempt(call, 1, false);
  }

  private Future<HttpClientResponse> attempt(HttpCall call, int attempt, boolean reauthenticated) {
    return auth.authorization(call.scopes())
        .compose(authorization -> exchange(call, call.url(), authorization, 0))
        .transform(ar -> {
          if (ar.failed()) {
            return onError(call, attempt, reauthenticated, ar.cause());
          }
          HttpClientResponse resp = ar.result();
          int status = resp.statusCode();
          if (call.expected().contains(status)) {
            return Future.succeededFuture(resp);
          }
          String challenge = resp.getHeader("WWW-Authenticate");
          if (status == 401 && !reauthenticated && challenge != null && call.replayable()) {
            return discard(resp)
                .compose(v -> auth.respond(challenge, call.scopes()))
                .compose(v -> attempt(call, attempt, true));
          }
          if (RetryPolicy.isRetryableStatus(status) && retry.hasAttemptAfter(attempt) && call.resendable()) {
            Duration wait = retry.delayAfter(attempt, resp.getHeader("Retry-After"), Instant.now());
            return discard(resp)
                .compose(v -> vertx.timer(Math.max(1, wait.toMillis())))
                .compose(v -> attempt(call, attempt + 1, reauthenticated));
          }
          return readLimited(resp, MAX_ERROR_BODY, null)
              .recover(e -> Future.succeededFuture(Buffer.buffer()))
              .compose(body -> Future.failedFuture(statusError(call, status, body, attempt)));
        });
  }

  private Future<HttpClientResponse> onError(HttpCall call, int attempt, boolean reauth, Throwable e) {
    if (e instanceof RegistryClientException) {
      return Future.failedFuture(e);
    }
    boolean retryable = !(e instanceof SSLException) && !(e.getCause() instanceof SSLException);
    if (retryable && retry.hasAttemptAfter(attempt) && call.resendable()) {
      Duration wait = retry.delayAfter(attempt, null, Instant.now());
      return vertx.timer(Math.max(1, wait.toMillis())).compose(v -> attempt(call, attempt + 1, reauth));
    }
    String what = Causes.describe(e);
    return Future.failedFuture(new RegistryClientException(
        call.describe() + " failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
            + ": " + what + (e instanceof SSLException || e.getCause() instanceof SSLException
                ? "; if the registry uses a private CA pass its PEM (caPem), or insecure for tests" : ""),
        "check that the registry is running and reachable from this machine", e));
  }

  /** One request on the wire, following redirects for GET/HEAD. */
  private Future<HttpClientResponse> exchange(HttpCall call, String url, String authorization, int redirects) {
    RequestOptions req = new RequestOptions()
        .setMethod(call.method())
        .setAbsoluteURI(url)
        .setFollowRedirects(false)
        .setConnectTimeout(options.requestTimeout().toMillis())
        .setIdleTimeout(options.requestTimeout().toMillis());
    for (Map.Entry<String, String> h : call.headers().entrySet()) {
      req.putHeader(h.getKey(), h.getValue());
    }
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return http.request(req)
        .compose(r -> sendBody(r, call.body()))
        .map(resp -> resp.pause())
        .compose(resp -> {
          String location = resp.getHeader("Location");
          if (!isRedirect(resp.statusCode()) || location == null || !call.followsRedirects()) {
            return Future.succeededFuture(resp);
          }
          if (redirects >= options.maxRedirects()) {
            return discard(resp).compose(v -> Future.failedFuture(new RegistryClientException(
                call.describe() + ": more than " + options.maxRedirects() + " redirects, last to " + location)));
          }
          String next = resolve(url, location);
          String nextAuth = sameOrigin(url, next) ? authorization : null;
          return discard(resp).compose(v -> exchange(call, next, nextAuth, redirects + 1));
        });
  }

  private Future<HttpClientResponse> sendBody(HttpClientRequest r, RequestBody body) {
    if (body == null) {
      return r.send();
    }
    r.putHeader("Content-Length", Long.toString(body.length()));
    if (body instanceof RequestBody.Bytes b) {
      return r.send(b.buffer());
    }
    if (body instanceof RequestBody.Stream s) {
      // A producer that fails mid-body must abort the request: ending it short would leave the
      // registry waiting for the missing bytes until its idle timeout.
      Future<HttpClientResponse> response = r.response();
      s.stream().pipe().endOnFailure(false).to(r).onFailure(e -> r.reset(0, e));
      return response;
    }
    RequestBody.FileRange f = (RequestBody.FileRange) body;
    return f.open(vertx).compose(file -> r.send(file).andThen(ar -> file.close()));
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static String resolve(String base, String location) {
    return URI.create(base).resolve(location.trim()).toString();
  }

  static boolean sameOrigin(String a, String b) {
    URI x = URI.create(a);
    URI y = URI.create(b);
    return Objects.equals(x.getScheme(), y.getScheme())
        && x.getHost() != null && x.getHost().equalsIgnoreCase(y.getHost())
        && port(x) == port(y);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** Reads and drops a response body so the connection can be reused. */
  static Future<Void> discard(HttpClientResponse resp) {
    resp.handler(b -> {});
    Future<Void> end = resp.end();
    resp.resume();
    return end.recover(e -> Future.succeededFuture());
  }

  static Future<Buffer> readLimited(HttpClientResponse resp, long maxBytes, HttpCall call) {
    Buffer acc = Buffer.buffer();
    boolean[] overflow = {false};
    Future<Void> end = resp.end();
    resp.handler(b -> {
      if (acc.length() + b.length() <= maxBytes) {
        acc.appendBuffer(b);
      } else if (!overflow[0]) {
        overflow[0] = true;
        resp.request().reset();
      }
    });
    resp.resume();
    return end.transform(ar -> {
      if (overflow[0]) {
        return Future.failedFuture(new RegistryClientException(
            (call == null ? "response" : call.describe()) + ": body larger than the " + maxBytes + "-byte limit"));
      }
      return ar.succeeded() ? Future.succeededFuture(acc) : Future.failedFuture(ar.cause());
    });
  }

  private static RegistryResponseException statusError(HttpCall call, int status, Buffer body, int attempts) {
    String code = null;
    String detail = "";
    try {
      JsonArray errors = new JsonObject(body.toString(StandardCharsets.UTF_8)).getJsonArray("errors");
      if (errors != null && !errors.isEmpty()) {
        JsonObject first = errors.getJsonObject(0);
        code = first.getString("code");
        detail = ": " + code + " " + first.getString("message", "");
      }
    } catch (RuntimeException notJson) {
      // Proxies answer with HTML; the status alone then says what happened.
    }
    String hint = status == 401 || status == 403 ? " (check credentials / docker login)" : "";
    return new RegistryResponseException(
        call.describe() + " failed with HTTP " + status + detail + hint + " after " + attempts
            + " attempt" + (attempts == 1 ? "" : "s"),
        status, code);
  }
}
