package dev.refit.registry.client;

import dev.refit.error.Causes;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which credentials belong to which registry, as a docker CLI {@code config.json} says: a
 * registry's {@code credHelpers} entry, else the {@code credsStore} helper, else its
 * {@code auths} entry (the order of docker's own lookup and of jib-core's credential
 * retrievers). Immutable and thread-safe; {@link #load} and {@link #credentialsFor} are blocking
 * (a helper is a process).
 *
 * <p>Keys are written by {@code docker login} in several shapes ({@code host},
 * {@code https://host}, {@code https://host/v1/}); all are matched by host. Docker Hub's
 * legacy key {@code https://index.docker.io/v1/} answers for docker.io and its registry hosts.
 */
public final class DockerConfig {
  private static final String HUB_KEY = "index.docker.io";

  private static final String HUB_SERVER_URL = "https://index.docker.io/v1/";

  private final Map<String, Credentials> byHost;
  private final Map<String, String> helpers;
  private final String store;
  private final String searchPath;

  private DockerConfig(Map<String, Credentials> byHost, Map<String, String> helpers, String store, String searchPath) {
    this.byHost = Map.copyOf(byHost);
    this.helpers = Map.copyOf(helpers);
    this.store = store;
    this.searchPath = searchPath;
  }

  public static DockerConfig empty() {
    return new DockerConfig(Map.of(), Map.of(), null, null);
  }

  /** This config with credential helpers looked up on {@code path} instead of {@code $PATH}. */
  public DockerConfig withSearchPath(String path) {
    return new DockerConfig(byHost, helpers, store, path);
  }

  /** {@code $DOCKER_CONFIG} when set, else {@code ~/.docker}. */
  public static Path defaultDirectory() {
    String env = System.getenv("DOCKER_CONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }

  /** Reads {@code dir/config.json}; a missing file is an empty config. Blocking. */
  public static DockerConfig load(Path dir) {
    if (dir == null) {
      return empty();
    }
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new RegistryClientException("cannot read docker config " + file + ": " + Causes.describe(e), e);
    }
  }

  /**
   * Parses a config.json. Entries carry either a base64 {@code auth} ("user:password") or
   * {@code username}/{@code password}; entries with neither (credential helpers) are ignored.
   * {@code credsStore} and {@code credHelpers} name helpers, run only when a registry's
   * credentials are asked for.
   */
  public static DockerConfig parse(byte[] json, String origin) {
    JsonObject root;
    try {
      root = new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new RegistryClientException(
          "docker config " + origin + " is not valid JSON: " + Causes.describe(e)
              + "; fix or remove it, or run docker login again", e);
    }
    JsonObject auths = root.getJsonObject("auths", new JsonObject());
    Map<String, Credentials> byHost = new LinkedHashMap<>();
    for (String key : auths.fieldNames()) {
      Object value = auths.getValue(key);
      if (!(value instanceof JsonObject entry)) {
        continue;
      }
      credentialsOf(entry, key, origin).ifPresent(c -> byHost.putIfAbsent(normalize(key), c));
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    JsonObject credHelpers = root.getJsonObject("credHelpers", new JsonObject());
    for (String key : credHelpers.fieldNames()) {
      if (credHelpers.getValue(key) instanceof String name && !name.isBlank()) {
        helpers.putIfAbsent(normalize(key), name);
      }
    }
    String store = root.getString("credsStore");
    return new DockerConfig(byHost, helpers, store == null || store.isBlank() ? null : store,
        System.getenv("PATH"));
  }

  /**
   * Credentials for {@code registry} ({@code host[:port]}), if the config has some. Blocking: a
   * credential helper may run.
   */
  public Optional<Credentials> credentialsFor(String registry) {
    String key = normalize(registry);
    boolean hub = isDockerHub(key);
    // docker passes helpers the key docker login stored: the host, or Hub's legacy URL.
    String serverUrl = hub ? HUB_SERVER_URL : registry;
    String helper = helpers.get(key);
    if (helper == null && hub) {
      helper = helpers.get(HUB_KEY);
    }
    if (helper != null) {
      return new CredentialHelper(helper, searchPath).get(serverUrl);
    }
    // A credsStore whose helper is not installed (a config copied from Docker Desktop) falls
    // back to auths, as refit read it before helpers; a helper named for this registry must run.
    CredentialHelper stored = store == null ? null : new CredentialHelper(store, searchPath);
    if (stored != null && stored.installed()) {
      Optional<Credentials> found = stored.get(serverUrl);
      if (found.isPresent()) {
        return found;
      }
    }
    Credentials c = byHost.get(key);
    if (c == null && hub) {
      c = byHost.get(HUB_KEY);
    }
    return Optional.ofNullable(c);
  }

  private static Optional<Credentials> credentialsOf(JsonObject entry, String key, String origin) {
    String auth = entry.getString("auth");
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new RegistryClientException(
            "docker config " + origin + ": auths[\"" + key + "\"].auth is not base64; run docker login again", e);
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new RegistryClientException(
            "docker config " + origin + ": auths[\"" + key + "\"].auth does not decode to user:password");
      }
      return Optional.of(Credentials.of(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    String user = entry.getString("username");
    String password = entry.getString("password");
    if (user != null && password != null) {
      return Optional.of(Credentials.of(user, password));
    }
    return Optional.empty();
  }

  /** {@code https://Host:443/v1/} → {@code host:443}: scheme and path dropped, case folded. */
  static String normalize(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return k;
  }

  private static boolean isDockerHub(String host) {
    return host.equals("docker.io") || host.equals("registry-1.docker.io") || host.equals(HUB_KEY);
  }
}
