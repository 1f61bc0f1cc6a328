package dev.refit.registry.server;

import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an embedded registry listens, authenticates and limits requests. Immutable.
 *
 * <p>{@code htpasswd}, {@code tlsCert} and {@code tlsKey} are null when unused; TLS needs both
 * PEM files. {@code maxManifestBytes} defaults to 8 MiB so that the 4 MiB distribution-spec asks
 * registries to accept ("Pushing Manifests") always fits. {@code maxChunkBytes} bounds one
 * request body of a blob upload (POST, PATCH or closing PUT). {@code requestTimeout} is the idle
 * timeout: how long a connection may sit idle (no bytes either way) before it is closed, so that
 * abandoned sockets do not pile up. {@code clientLimits} bounds what one remote address may hold.
 */
public record RegistryConfig(
    String host,
    int port,
    Path root,
    Path htpasswd,
    Path tlsCert,
    Path tlsKey,
    boolean readOnly,
    long maxManifestBytes,
    long maxChunkBytes,
    Duration requestTimeout,
    StoreOptions storeOptions,
    ClientLimits clientLimits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8787;
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 8L * 1024 * 1024;
  public static final long DEFAULT_MAX_CHUNK_BYTES = 64L * 1024 * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);

  public RegistryConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(storeOptions, "storeOptions");
    Objects.requireNonNull(clientLimits, "clientLimits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 (0 picks a free port), got " + port);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "TLS needs both a PEM certificate and a PEM key; got only one of them");
    }
    if (maxManifestBytes < 4L * 1024 * 1024) {
      throw new IllegalArgumentException("maxManifestBytes must be at least 4 MiB "
          + "(distribution-spec: registries should accept 4 MiB manifests), got " + maxManifestBytes);
    }
    if (maxChunkBytes <= 0) {
      throw new IllegalArgumentException("maxChunkBytes must be positive, got " + maxChunkBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
  }

  /** Loopback on port 8787, no auth, no TLS, writable, default limits and store options. */
  public static RegistryConfig defaults(Path root) {
    return new RegistryConfig(DEFAULT_HOST, DEFAULT_PORT, root, null, null, null, false,
        DEFAULT_MAX_MANIFEST_BYTES, DEFAULT_MAX_CHUNK_BYTES, DEFAULT_REQUEST_TIMEOUT,
        StoreOptions.defaults(), ClientLimits.defaults());
  }

  public boolean tls() {
    return tlsCert != null;
  }

  public RegistryConfig withHost(String h) {
    return new RegistryConfig(h, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withPort(int p) {
    return new RegistryConfig(host, p, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withHtpasswd(Path file) {
    return new RegistryConfig(host, port, root, file, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withTls(Path certPem, Path keyPem) {
    return new RegistryConfig(host, port, root, htpasswd, certPem, keyPem, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withReadOnly(boolean ro) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, ro,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withMaxManifestBytes(long limit) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        limit, maxChunkBytes, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withMaxChunkBytes(long limit) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, limit, requestTimeout, storeOptions, clientLimits);
  }

  public RegistryConfig withRequestTimeout(Duration timeout) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, timeout, storeOptions, clientLimits);
  }

  public RegistryConfig withStoreOptions(StoreOptions options) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, options, clientLimits);
  }

  public RegistryConfig withClientLimits(ClientLimits limits) {
    return new RegistryConfig(host, port, root, htpasswd, tlsCert, tlsKey, readOnly,
        maxManifestBytes, maxChunkBytes, requestTimeout, storeOptions, limits);
  }
}
