package dev.refit.pipeline.local;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.Credentials;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import dev.refit.settings.config.LocalRegistryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * The registry refit publishes into: either the embedded one, served in-process on a free
 * loopback port over {@code <cache>/registry}, or an external registry from {@code refit.yaml}.
 * Either way callers get a {@link RegistryClient}; close this to stop what it started.
 * Thread-safe.
 */
public final class LocalRegistry {
  private final RegistryServer server;
  private final RegistryClient client;

  private LocalRegistry(RegistryServer server, RegistryClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts the embedded registry over {@code root}, or connects to the configured URL. */
  public static Future<LocalRegistry> open(Vertx vertx, LocalRegistryConfig config, Path root) {
    if (config.embedded()) {
      return RegistryServer.start(vertx, RegistryConfig.defaults(root).withPort(0))
          .map(server -> new LocalRegistry(server, RegistryClient.create(vertx,
              "127.0.0.1:" + server.actualPort(), ClientOptions.defaults())));
    }
    return vertx.<ClientOptions>executeBlocking(() -> external(config), false)
        .map(options -> new LocalRegistry(null,
            RegistryClient.create(vertx, hostPort(config.url()), options)));
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

  /** {@code host:port} as image references name it, e.g. {@code 127.0.0.1:41234}. */
  public String address() {
    return client.registry();
  }

  public RegistryClient client() {
    return client;
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
