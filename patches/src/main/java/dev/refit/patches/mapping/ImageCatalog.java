package dev.refit.patches.mapping;

import dev.refit.registry.client.RegistryClient;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  public static List<String> discover(RegistryClient client, UpstreamConfig upstream,
      String osVersion, ImagesConfig images, Duration timeout) {
    List<String> repos;
    try {
      repos = client.catalog().toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new MappingException("could not list the catalog of " + client.registry() + ": "
          + e.getCause().getMessage() + "; list the images under images.names in refit.yaml");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MappingException("interrupted while listing the catalog of " + client.registry());
    } catch (TimeoutException e) {
      throw new MappingException("listing the catalog of " + client.registry() + " timed out");
    }
    return fromRepositories(repos, upstream.namespaceFor(osVersion), upstream.namePrefix(), images);
  }
}
