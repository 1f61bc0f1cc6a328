package dev.refit.registry.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication against an htpasswd file of bcrypt hashes ({@code $2y$}, {@code $2a$},
 * {@code $2b$}), as distribution's htpasswd access controller. Thread-safe.
 *
 * <p>bcrypt is deliberately slow, so verification runs on the {@link Worker}; a verified
 * Authorization header is remembered (by its sha256, never in clear) so that the many requests of
 * one push do not each pay for it. An unknown user is checked against a dummy hash of the same
 * cost, so response time does not tell which usernames exist. An address that fails too often is
 * answered 429 with {@code Retry-After} ({@link LoginThrottle}) without any bcrypt work; headers
 * already verified still pass, so one guesser does not lock out the others behind its address.
 */
final class BasicAuth {
  private static final int CACHE_LIMIT = 1024;
  private static final int DEFAULT_COST = 10;

  private final Map<String, String> hashes;
  private final String dummyHash;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();
  private final LoginThrottle throttle;

  private BasicAuth(Map<String, String> hashes, String dummyHash, LoginThrottle throttleOrNull) {
    this.hashes = Map.copyOf(hashes);
    this.dummyHash = dummyHash;
    this.throttle = throttleOrNull;
  }

  /** Counts failed logins per address with {@code limits}; without it, none are throttled. */
  BasicAuth withThrottle(ClientLimits limits) {
    return new BasicAuth(hashes, dummyHash, new LoginThrottle(limits, System::nanoTime));
  }

  /**
   * Reads {@code user:bcrypt-hash} lines. Blocking.
   *
   * @throws IllegalArgumentException when a line is not a bcrypt entry (e.g. MD5 or SHA htpasswd)
   */
  static BasicAuth load(Path htpasswd) {
    List<String> lines;
    try {
      lines = Files.readAllLines(htpasswd, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read htpasswd file " + htpasswd + ": " + e.getMessage(), e);
    }
    Map<String, String> hashes = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String hash = colon > 0 ? line.substring(colon + 1) : "";
      if (!hash.startsWith("$2y$") && !hash.startsWith("$2a$") && !hash.startsWith("$2b$")) {
        throw new IllegalArgumentException(htpasswd + ":" + (i + 1)
            + ": expected user:bcrypt-hash ($2y$/$2a$/$2b$); create entries with 'htpasswd -B'");
      }
      hashes.put(line.substring(0, colon), hash);
    }
    int cost = hashes.values().stream().mapToInt(BasicAuth::costOf).max().orElse(DEFAULT_COST);
    char[] random = UUID.randomUUID().toString().toCharArray();
    return new BasicAuth(hashes, BCrypt.withDefaults().hashToString(cost, random), null);
  }

  /** The cost of a {@code $2y$NN$...} hash; the default when it cannot be read. */
  private static int costOf(String hash) {
    try {
      return Integer.parseInt(hash.substring(4, 6));
    } catch (RuntimeException e) {
      return DEFAULT_COST;
    }
  }

  /** Succeeds when the request carries valid credentials; fails with UNAUTHORIZED otherwise. */
  Future<Void> check(HttpServerRequest request, Worker worker) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Future.failedFuture(unauthorized("credentials required"));
    }
    String key = Digest.sha256(header.getBytes(StandardCharsets.UTF_8)).toString();
    if (verified.contains(key)) {
      return Future.succeededFuture();
    }
    String address = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    long wait = throttle == null ? 0 : throttle.retryAfterSeconds(address);
    if (wait > 0) {
      return Future.failedFuture(RegistryException.of(ErrorCode.TOOMANYREQUESTS,
              "too many failed logins from " + address + "; retry in " + wait + "s")
          .withHeader("Retry-After", Long.toString(wait)));
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      failed(address);
      return Future.failedFuture(unauthorized("malformed Basic credentials"));
    }
    int colon = decoded.indexOf(':');
    String known = colon > 0 ? hashes.get(decoded.substring(0, colon)) : null;
    // An unknown user costs one bcrypt verification too, against a hash that matches nothing.
    String hash = known == null ? dummyHash : known;
    char[] password = decoded.substring(colon + 1).toCharArray();
    return worker.run(() -> BCrypt.verifyer().verify(password, hash.toCharArray()).verified)
        .compose(ok -> {
          if (!ok || known == null) {
            failed(address);
            return Future.failedFuture(unauthorized("invalid username or password"));
          }
          if (throttle != null) {
            throttle.succeeded(address);
          }
          if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
          }
          verified.add(key);
          return Future.succeededFuture();
        });
  }

  private void failed(String address) {
    if (throttle != null) {
      throttle.failed(address);
    }
  }

  private static RegistryException unauthorized(String message) {
    return RegistryException.of(ErrorCode.UNAUTHORIZED, message);
  }
}
