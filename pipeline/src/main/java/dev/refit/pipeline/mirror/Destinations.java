package dev.refit.pipeline.mirror;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreLock;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opens the {@link Destination} a {@code --to} value names, for {@code refit mirror} and
 * {@code refit bundle load} alike. Blocking (it may take the store lock).
 */
public final class Destinations {
  private Destinations() {}

  /**
   * @param to {@code docker://HOST[:PORT][/PREFIX]}, {@code oci:DIR}, {@code oci-archive:FILE},
   *     {@code docker-archive:FILE}, or null for the embedded store
   * @param storeRoot the embedded store's root, used when {@code to} is null
   * @param tlsVerify verify a destination registry's certificate
   */
  public static Destination open(Vertx vertx, String to, Path storeRoot, boolean tlsVerify) {
    if (to == null || to.isBlank()) {
      return store(vertx, storeRoot);
    }
    if (to.startsWith("docker://")) {
      String rest = to.substring("docker://".length()).replaceAll("/+$", "");
      int slash = rest.indexOf('/');
      String host = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      ClientOptions options = ClientOptions.defaults().withInsecure(!tlsVerify);
      return new Destination.Registry(RegistryClient.create(vertx, host, options), prefix);
    }
    if (to.startsWith("oci:")) {
      Path dir = Path.of(to.substring("oci:".length()));
      OciLayout layout = Files.exists(dir.resolve(OciLayout.LAYOUT_FILE)) ? OciLayout.open(dir) : OciLayout.create(dir);
      return new Destination.Layout(vertx, layout);
    }
    for (String scheme : List.of("oci-archive", "docker-archive")) {
      if (to.startsWith(scheme + ":")) {
        return ArchiveDestination.open(vertx, scheme, Path.of(to.substring(scheme.length() + 1)));
      }
    }
    throw new RefitException("unsupported destination '" + to + "'",
        "use docker://HOST[:PORT][/PREFIX], oci:DIR, oci-archive:FILE or docker-archive:FILE, or leave --to out"
            + " for the embedded registry", ExitCode.USAGE);
  }

  /** The embedded store, written in process; when a refit registry serves it, through that server. */
  private static Destination store(Vertx vertx, Path root) {
    try {
      StoreLock lock = StoreLock.acquire(root);
      return new Destination.Store(vertx, FsStore.open(root, StoreOptions.defaults()), lock);
    } catch (StoreLock.StoreInUseException e) {
      Optional<StoreLock.Served> served = StoreLock.served(root);
      if (served.isEmpty()) {
        throw e;
      }
      URI url = URI.create(served.get().baseUrl());
      String host = url.getHost() + ":" + url.getPort();
      return new Destination.Registry(RegistryClient.create(vertx, host,
          ClientOptions.defaults().withPlainHttpHosts(Set.of(host))), "");
    }
  }
}
