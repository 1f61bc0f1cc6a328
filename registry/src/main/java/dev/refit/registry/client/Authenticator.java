package dev.refit.registry.client;

import dev.refit.error.Causes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Produces the {@code Authorization} header for one registry: HTTP Basic, or bearer tokens from
 * the registry's token service, cached per scope until they expire. Thread-safe.
 *
 * <p>Follows the distribution token-authentication spec ("Requesting a Token"): the first 401
 * tells us the realm and service; a token is then fetched with {@code GET realm?service=&scope=}
 * carrying Basic credentials when we have some, and the reply's {@code token} (or
 * {@code access_token}) is used until {@code expires_in} (default 60 s) runs out.
 */
final class Authenticator {
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private record Token(String value, Instant expiresAt) {}

  private final HttpClient http;
  private final String registry;
  private final Supplier<Future<Optional<Credentials>>> credentials;
  private final Duration timeout;
  private final Clock clock;
  private final ConcurrentMap<String, Future<Token>> tokens = new ConcurrentHashMap<>();
  private volatile AuthChallenge challenge;

  Authenticator(
      HttpClient http,
      String registry,
      Supplier<Future<Optional<Credentials>>> credentials,
      Duration timeout,
      Clock clock) {
    this.http = http;
    this.registry = registry;
    this.credentials = credentials;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The header for a request needing {@code scopes}, or null before any challenge was seen. */
  Future<String> authorization(List<String> scopes) {
    AuthChallenge c = challenge;
    if (c == null) {
      return Future.succeededFuture(null);
    }
    if (c.isBasic()) {
      return credentials.get().map(o -> o.map(Credentials::basicAuthorization).orElse(null));
    }
    return token(c, scopes, scopes, false).map(t -> "Bearer " + t.value());
  }

  /**
   * Answers a 401: remembers the challenge and, for bearer, fetches a fresh token (dropping a
   * cached one the registry no longer accepts). Fails when the challenge cannot be met.
   */
  Future<Void> respond(String wwwAuthenticate, List<String> scopes) {
    AuthChallenge c;
    try {
      c = AuthChallenge.parse(wwwAuthenticate);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RegistryClientException(
          registry + " answered 401 without a usable WWW-Authenticate header"));
    }
    challenge = c;
    if (c.isBasic()) {
      return credentials.get().compose(o -> o.isPresent()
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(noCredentials()));
    }
    if (!c.isBearer() || c.realm() == null) {
      return Future.failedFuture(new RegistryClientException(
          registry + " asks for unsupported authentication '" + wwwAuthenticate + "'"));
    }
    return token(c, scopes, withChallengeScope(scopes, c), true).mapEmpty();
  }

  /**
   * Cached under the request's scopes; fetched for those plus any the challenge added. Parallel
   * requests share one fetch in flight; a refresh replaces a completed (rejected) token only.
   */
  private Future<Token> token(AuthChallenge c, List<String> scopes, List<String> fetchScopes, boolean refresh) {
    String key = String.join(" ", scopes);
    Future<Token> token = tokens.compute(key, (k, cur) -> {
      boolean inFlight = cur != null && !cur.isComplete();
      boolean usable = cur != null && cur.succeeded() && fresh(cur.result());
      return inFlight || (usable && !refresh) ? cur : fetchToken(c, fetchScopes);
    });
    return token.onFailure(e -> tokens.remove(key, token));
  }

  private boolean fresh(Token t) {
    return clock.instant().isBefore(t.expiresAt());
  }

  private Future<Token> fetchToken(AuthChallenge c, List<String> scopes) {
    String url = tokenUrl(c, scopes);
    return credentials.get().compose(creds -> {
      RequestOptions req = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setAbsoluteURI(url)
          .setTimeout(timeout.toMillis())
          .putHeader("Accept", "application/json");
      creds.ifPresent(cr -> req.putHeader("Authorization", cr.basicAuthorization()));
      Instant issued = clock.instant();
      return http.request(req)
          .compose(r -> r.send())
          .compose(resp -> resp.body().compose(body -> {
            if (resp.statusCode() == 401 || resp.statusCode() == 403) {
              return Future.failedFuture(new RegistryResponseException(
                  "token service " + c.realm() + " refused " + (creds.isPresent() ? "the credentials of "
                      + creds.get().username() : "anonymous access") + " for " + registry
                      + " (HTTP " + resp.statusCode() + "); check docker login / the configured credentials",
                  resp.statusCode(), null));
            }
            if (resp.statusCode() != 200) {
              return Future.failedFuture(new RegistryResponseException(
                  "token service GET " + url + " answered HTTP " + resp.statusCode(), resp.statusCode(), null));
            }
            return Future.succeededFuture(parseToken(body.toString(StandardCharsets.UTF_8), issued, url));
          }));
    });
  }

  private static Token parseToken(String body, Instant issued, String url) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (RuntimeException e) {
      throw new RegistryClientException("token service " + url + " returned non-JSON: " + Causes.describe(e));
    }
    String value = json.getString("token", json.getString("access_token"));
    if (value == null || value.isEmpty()) {
      throw new RegistryClientException("token service " + url + " returned no token or access_token");
    }
    Number expires = json.getNumber("expires_in");
    Duration lifetime = expires == null || expires.longValue() <= 0
        ? DEFAULT_TOKEN_LIFETIME : Duration.ofSeconds(expires.longValue());
    // Renew a little early so a token does not lapse between check and use.
    Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(10)) > 0
        ? Duration.ofSeconds(10) : lifetime.dividedBy(10);
    return new Token(value, issued.plus(lifetime).minus(margin));
  }

  private static String tokenUrl(AuthChallenge c, List<String> scopes) {
    StringBuilder url = new StringBuilder(c.realm());
    char sep = c.realm().contains("?") ? '&' : '?';
    if (c.service() != null) {
      url.append(sep).append("service=").append(enc(c.service()));
      sep = '&';
    }
    for (String s : scopes) {
      url.append(sep).append("scope=").append(enc(s));
      sep = '&';
    }
    return url.toString();
  }

  private static List<String> withChallengeScope(List<String> scopes, AuthChallenge c) {
    Set<String> all = new LinkedHashSet<>(scopes);
    if (c.scope() != null) {
      for (String s : c.scope().split(" ")) {
        if (!s.isBlank()) {
          all.add(s);
        }
      }
    }
    return List.copyOf(all);
  }

  private RegistryClientException noCredentials() {
    return new RegistryClientException(registry + " requires a user name and password, and none is"
        + " configured; run docker login " + registry + " or pass credentials in ClientOptions");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
