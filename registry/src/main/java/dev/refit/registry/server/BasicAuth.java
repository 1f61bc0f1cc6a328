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
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication against an htpasswd file of bcrypt hashes ({@code $2y$}, {@code $2a$},
 * {@code $2b$}), as distribution's htpasswd access controller. Thread-safe.
 *
 * <p>bcrypt is deliberately slow, so verification runs on the {@link Worker}; a verified
 * Authorization header is remembered (by its sha256, never in clear) so that the many requests of
 * one push do not each pay for it.
 */
final class BasicAuth {
  private static final int CACHE_LIMIT = 1024;

  private final Map<String, String> hashes;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  private BasicAuth(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
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
    return new BasicAuth(hashes);
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
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(unauthorized("malformed Basic credentials"));
    }
    int colon = decoded.indexOf(':');
    String hash = colon > 0 ? hashes.get(decoded.substring(0, colon)) : null;
    if (hash == null) {
      return Future.failedFuture(unauthorized("invalid username or password"));
    }
    char[] password = decoded.substring(colon + 1).toCharArray();
    return worker.run(() -> BCrypt.verifyer().verify(password, hash.toCharArray()).verified)
        .compose(ok -> {
          if (!ok) {
            return Future.failedFuture(unauthorized("invalid username or password"));
          }
          if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
          }
          verified.add(key);
          return Future.succeededFuture();
        });
  }

  private static RegistryException unauthorized(String message) {
    return RegistryException.of(ErrorCode.UNAUTHORIZED, message);
  }
}
