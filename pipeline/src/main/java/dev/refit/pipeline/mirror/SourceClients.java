package dev.refit.pipeline.mirror;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.Credentials;
import dev.refit.registry.client.RegistryClient;
import dev.refit.settings.sync.SyncRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The source registries' clients of one run, one per sync-file registry key, configured from its
 * {@code tls-verify}, {@code credentials} and {@code cert-dir}. Thread-safe.
 */
public final class SourceClients {
  private final Vertx vertx;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  public SourceClients(Vertx vertx) {
    this.vertx = vertx;
  }

  public RegistryClient client(SyncRegistry registry) {
    ClientOptions options = ClientOptions.defaults();
    if (Boolean.FALSE.equals(registry.tlsVerify())) {
      options = options.withInsecure(true);
    }
    if (registry.credentials() != null) {
      options = options.withCredentials(Credentials.of(registry.credentials().username(),
          registry.credentials().password()));
    }
    if (registry.certDir() != null) {
      options = caFile(registry.certDir()).map(options::withCaPem).orElse(options);
    }
    return client(registry.host(), options);
  }

  public RegistryClient client(String key, ClientOptions options) {
    String host = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
    return clients.computeIfAbsent(key, k -> RegistryClient.create(vertx, host, options));
  }

  /** The key {@code client} was made for: a sync file's registry key or a reference's host. */
  public Optional<String> key(RegistryClient client) {
    return clients.entrySet().stream().filter(e -> e.getValue() == client).map(Map.Entry::getKey).findFirst();
  }

  public Future<Void> close() {
    return Future.join(clients.values().stream().map(RegistryClient::close).toList()).mapEmpty();
  }

  /** The CA bundle of a cert-dir (containers-certs.d(5)): {@code ca.crt}, else the first {@code *.crt}. */
  private static Optional<Path> caFile(Path dir) {
    if (Files.isRegularFile(dir.resolve("ca.crt"))) {
      return Optional.of(dir.resolve("ca.crt"));
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().findFirst();
    } catch (IOException e) {
      throw new RefitException("cannot read cert-dir " + dir + ": " + e.getMessage(), "check the path in the sync file",
          ExitCode.USAGE);
    }
  }
}
