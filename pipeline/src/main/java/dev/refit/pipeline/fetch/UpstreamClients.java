package dev.refit.pipeline.fetch;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link RegistryClient} per upstream registry host, created on first use. The refusing
 * form, which {@link UpstreamAccess} hands out offline, creates none and answers every request
 * with the exit-3 {@link CacheMissException}. Thread-safe.
 */
public final class UpstreamClients {
  private final Function<String, RegistryClient> create;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  private UpstreamClients(Function<String, RegistryClient> create) {
    this.create = create;
  }

  public static UpstreamClients of(Vertx vertx, ClientOptions options) {
    return new UpstreamClients(r -> RegistryClient.create(vertx, r, options));
  }

  /** Clients that are never made: every request names the registry and fails with exit 3. */
  public static UpstreamClients refusing() {
    return new UpstreamClients(r -> {
      throw new CacheMissException(List.of("the upstream registry " + r
          + " (no connection is made with --no-fetch)"));
    });
  }

  /** The client for {@code registry} ({@code host[:port]}), created when first asked for. */
  public RegistryClient client(String registry) {
    return clients.computeIfAbsent(registry, create);
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
