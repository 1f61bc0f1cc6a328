package dev.refit.patches.mapping;

import dev.refit.patches.image.ClientCalls;
import dev.refit.patches.image.ImageReadException;
import dev.refit.registry.client.RegistryClient;
import io.vertx.core.Vertx;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The service images refit may patch: the configured list, or the upstream registry's catalog
 * (all pages) narrowed to {@code <namespace>/<name_prefix>*}; both filtered by include/exclude
 * rules. Blocking; stateless.
 */
public final class ImageCatalog {
  private ImageCatalog() {}

  /** The configured names, filtered, sorted. */
  public static List<String> configured(ImagesConfig images) {
    return List.copyOf(new TreeSet<>(images.selectedNames()));
  }

  /** Service names from repository names such as {@code tripleoqueens/centos-binary-nova-api}. */
  public static List<String> fromRepositories(Collection<String> repositories, String namespace,
      String namePrefix, ImagesConfig images) {
    String start = (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + namePrefix;
    TreeSet<String> out = new TreeSet<>();
    for (String repo : repositories) {
      if (repo.startsWith(start) && repo.length() > start.length()) {
        String service = repo.substring(start.length());
        if (!service.contains("/") && images.selects(service)) {
          out.add(service);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Reads the catalog (following {@code Link} pagination in the client) and filters it. */
  public static List<String> discover(Vertx vertx, RegistryClient client, UpstreamConfig upstream,
      String osVersion, ImagesConfig images, Duration timeout) {
    List<String> repos;
    try {
      repos = ClientCalls.await(vertx, client::catalog, timeout,
          "list the catalog of " + client.registry());
    } catch (ImageReadException e) {
      throw new MappingException(e.getMessage() + "; list the images under images.names in refit.yaml", e);
    }
    return fromRepositories(repos, upstream.namespaceFor(osVersion), upstream.namePrefix(), images);
  }
}
