package dev.refit.pipeline.fetch;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RegistryClient} per upstream registry host, created on first use so that an
 * offline run never creates any. Thread-safe.
 */
public final class UpstreamClients {
  private final Vertx vertx;
  private final ClientOptions options;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  private UpstreamClients(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  public static UpstreamClients of(Vertx vertx, ClientOptions options) {
    return new UpstreamClients(vertx, options);
  }

  /** The client for {@code registry} ({@code host[:port]}), created when first asked for. */
  public RegistryClient client(String registry) {
    return clients.computeIfAbsent(registry, r -> RegistryClient.create(vertx, r, options));
  }

  /** How many clients were created: zero after a strict offline run. */
  public int created() {
    return clients.size();
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(c -> closing.add(c.close()));
    clients.clear();
    return Future.join(closing).mapEmpty();
  }
}
