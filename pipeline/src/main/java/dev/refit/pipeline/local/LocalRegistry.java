package dev.refit.pipeline.local;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.Credentials;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import dev.refit.settings.config.LocalRegistryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The registry refit publishes into: either the embedded one, served in-process over
 * {@code <cache>/registry} at its configured address, or an external registry from
 * {@code refit.yaml}. Either way callers get a {@link RegistryClient}; close this to stop what it
 * started. Thread-safe.
 *
 * <p>Image references written for a deployer name {@link #address()}, never a port that only
 * lives for one run: when the configured port is taken, the embedded registry serves the run on
 * a free port ({@link #client()} talks to it) while lists still name the configured address,
 * where {@code refit registry serve} over the same store answers afterwards.
 */
public final class LocalRegistry {
  private final RegistryServer server;
  private final RegistryClient client;
  private final String address;
  private final String notice;
  /** The embedded store's root; null for an external registry. */
  private final Path store;

  private LocalRegistry(RegistryServer server, RegistryClient client, String address, String notice,
      Path store) {
    this.server = server;
    this.store = store;
    this.client = client;
    this.address = address;
    this.notice = notice;
  }

  /** Starts the embedded registry over {@code root}, or connects to the configured URL. */
  public static Future<LocalRegistry> open(Vertx vertx, LocalRegistryConfig config, Path root) {
    if (config.embedded()) {
      return embedded(vertx, config.address(), root);
    }
    return vertx.<ClientOptions>executeBlocking(() -> external(config), false)
        .map(options -> {
          String hostPort = hostPort(config.url());
          return new LocalRegistry(null, RegistryClient.create(vertx, hostPort, options), hostPort, null,
              null);
        });
  }

  private static Future<LocalRegistry> embedded(Vertx vertx, String address, Path root) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    String bindHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    RegistryConfig wanted = RegistryConfig.defaults(root).withHost(bindHost)
        .withPort(Integer.parseInt(address.substring(colon + 1)));
    return RegistryServer.start(vertx, wanted)
        .map(server -> new LocalRegistry(server, client(vertx, address), address, null, root))
        .recover(err -> !portTaken(err) ? Future.failedFuture(err)
            : RegistryServer.start(vertx, wanted.withPort(0)).map(server -> {
              String served = host + ":" + server.actualPort();
              return new LocalRegistry(server, client(vertx, served), address, address
                  + " is in use, so this run's embedded registry listens on " + served
                  + "; image lists still name " + address + ", where `refit registry serve --root "
                  + root + " --listen " + address + "` serves the result once the port is free", root);
            }));
  }

  private static RegistryClient client(Vertx vertx, String hostPort) {
    return RegistryClient.create(vertx, hostPort,
        ClientOptions.defaults().withPlainHttpHosts(Set.of(hostPort)));
  }

  /** Netty reports a busy port as a {@link BindException}, or natively as "Address already in use". */
  static boolean portTaken(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static ClientOptions external(LocalRegistryConfig config) {
    URI url = config.url();
    ClientOptions options = ClientOptions.defaults().withInsecure(config.insecure());
    if (config.caFile() != null) {
      options = options.withCaPem(config.caFile());
    }
    if ("http".equals(url.getScheme())) {
      options = options.withPlainHttpHosts(Set.of(hostPort(url)));
    }
    if (config.username() != null) {
      options = options.withCredentials(
          Credentials.of(config.username(), config.resolvePassword().orElse("")));
    }
    return options;
  }

  private static String hostPort(URI url) {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  /**
   * {@code host:port} as image references name it, e.g. {@code 127.0.0.1:8787}: the configured
   * address, even when this run is served elsewhere (see {@link #notice()}).
   */
  public String address() {
    return address;
  }

  /** {@code host:port} this run talks to; differs from {@link #address()} only after a fallback. */
  public String servedAddress() {
    return client.registry();
  }

  /** One line for the operator when the configured port was taken and a free one is used. */
  public Optional<String> notice() {
    return Optional.ofNullable(notice);
  }

  public RegistryClient client() {
    return client;
  }

  /**
   * The embedded registry's store root, whose committed blobs this process may read in place;
   * empty for an external registry.
   */
  public Optional<Path> store() {
    return Optional.ofNullable(store);
  }

  /** True when refit serves this registry itself for the duration of the run. */
  public boolean embedded() {
    return server != null;
  }

  public Future<Void> close() {
    Future<Void> closed = client.close();
    return server == null ? closed : closed.eventually(server::stop);
  }
}
