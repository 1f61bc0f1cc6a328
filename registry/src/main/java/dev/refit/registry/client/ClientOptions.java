package dev.refit.registry.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * How a {@link RegistryClient} connects, authenticates, retries and uploads. Immutable; copies
 * are made with the {@code withX} methods.
 *
 * <p>TLS is verified against the JVM trust store by default. {@code insecure} trusts any
 * certificate and host name; {@code caPem} adds a PEM CA bundle. Plain HTTP is used only for
 * hosts listed in {@code plainHttpHosts} and for loopback hosts.
 *
 * @param insecure trust every certificate (no verification); for test registries only
 * @param caPem extra CA certificates (PEM) to trust, or null
 * @param plainHttpHosts hosts ({@code host} or {@code host:port}) reached over plain HTTP
 * @param loopbackPlainHttp whether loopback hosts use plain HTTP (true by default; false for a
 *     loopback registry serving TLS)
 * @param maxAttempts attempts per request, including the first (>= 1)
 * @param initialBackoff first retry delay before jitter
 * @param maxBackoff upper bound of the computed backoff (Retry-After may ask for more, up to 5 min)
 * @param chunkSize blob upload chunk size in bytes; 0 uploads monolithically
 * @param dockerConfigDir directory holding {@code config.json}, or null for none
 * @param credentials credentials to use instead of the docker config, or null
 * @param requestTimeout connect and idle timeout of one request
 * @param maxRedirects redirects followed per request
 */
public record ClientOptions(
    boolean insecure,
    Path caPem,
    Set<String> plainHttpHosts,
    boolean loopbackPlainHttp,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    long chunkSize,
    Path dockerConfigDir,
    Credentials credentials,
    Duration requestTimeout,
    int maxRedirects) {

  public ClientOptions {
    plainHttpHosts = plainHttpHosts == null ? Set.of() : Set.copyOf(plainHttpHosts);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (chunkSize < 0) {
      throw new IllegalArgumentException("chunkSize must be >= 0 (0 = monolithic), got " + chunkSize);
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must be >= 0, got " + maxRedirects);
    }
  }

  /**
   * Verified TLS, 4 attempts, monolithic uploads, credentials from {@code $DOCKER_CONFIG} or
   * {@code ~/.docker}.
   */
  public static ClientOptions defaults() {
    return new ClientOptions(
        false,
        null,
        Set.of(),
        true,
        4,
        Duration.ofMillis(200),
        Duration.ofSeconds(10),
        0,
        DockerConfig.defaultDirectory(),
        null,
        Duration.ofSeconds(60),
        5);
  }

  public ClientOptions withInsecure(boolean value) {
    return new ClientOptions(value, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withCaPem(Path value) {
    return new ClientOptions(insecure, value, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withPlainHttpHosts(Set<String> value) {
    return new ClientOptions(insecure, caPem, value, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withLoopbackPlainHttp(boolean value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, value, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withMaxAttempts(int value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, value, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withBackoff(Duration initial, Duration max) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initial,
        max, chunkSize, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withChunkSize(long value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, value, dockerConfigDir, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withDockerConfigDir(Path value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, value, credentials, requestTimeout, maxRedirects);
  }

  public ClientOptions withCredentials(Credentials value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, value, requestTimeout, maxRedirects);
  }

  public ClientOptions withRequestTimeout(Duration value) {
    return new ClientOptions(insecure, caPem, plainHttpHosts, loopbackPlainHttp, maxAttempts, initialBackoff,
        maxBackoff, chunkSize, dockerConfigDir, credentials, value, maxRedirects);
  }

  /** True when {@code registry} ({@code host[:port]}) is spoken to over plain HTTP. */
  public boolean usesPlainHttp(String registry) {
    String host = hostOf(registry);
    return plainHttpHosts.contains(registry) || plainHttpHosts.contains(host)
        || (loopbackPlainHttp && isLoopback(host));
  }

  static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end > 0 ? registry.substring(1, end) : registry;
    }
    int colon = registry.lastIndexOf(':');
    return colon >= 0 && registry.indexOf(':') == colon ? registry.substring(0, colon) : registry;
  }

  /** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
