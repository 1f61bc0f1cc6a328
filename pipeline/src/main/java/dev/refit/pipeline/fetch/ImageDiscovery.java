package dev.refit.pipeline.fetch;

import dev.refit.error.Causes;
import dev.refit.patches.mapping.ImageCatalog;
import dev.refit.patches.mapping.MappingException;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import java.time.Duration;
import java.util.List;

/**
 * Which service images a run works on: the configured names, or the upstream's catalog narrowed
 * to {@code <namespace>/<name_prefix>*}, both filtered by include/exclude rules. {@code plan} and
 * {@code prepare} both ask this, so they always agree. Online the catalog is read upstream (a
 * registry's {@code /v2/_catalog}, or a layout's index.json) and recorded in the
 * {@link CacheIndex}; offline the recorded catalog answers, and none recorded is an exit-3
 * {@link CacheMissException}. Thread-safe; blocking.
 */
public final class ImageDiscovery {
  /** Lists the repository names of the catalog known as {@code key}. Blocking. */
  @FunctionalInterface
  private interface Lister {
    List<String> repositories(UpstreamConfig upstream, String osVersion, String key);
  }

  private final Lister lister;

  private ImageDiscovery(Lister lister) {
    this.lister = lister;
  }

  /** Reads the upstream's catalog and records it in {@code index}. */
  static ImageDiscovery upstream(CacheIndex index, UpstreamClients upstreams, Duration timeout) {
    return new ImageDiscovery((upstream, osVersion, key) -> {
      List<String> repositories = upstream.kind() == UpstreamConfig.Kind.OCI
          ? UpstreamForms.layoutRepositories(upstream, osVersion)
          : registryCatalog(new BlockingRegistry(upstreams.client(upstream.registry()), timeout));
      index.putCatalog(key, repositories);
      index.save();
      return repositories;
    });
  }

  /** Answers from the catalog recorded in {@code index} only. */
  static ImageDiscovery recorded(CacheIndex index) {
    return new ImageDiscovery((upstream, osVersion, key) -> index.catalog(key).orElseThrow(
        () -> new CacheMissException(List.of("the image catalog of " + key
            + " (images are discovered; or list them under images.names in refit.yaml)"))));
  }

  /** The service names, sorted. */
  public List<String> services(UpstreamConfig upstream, String osVersion, ImagesConfig images) {
    if (!images.discover()) {
      return ImageCatalog.configured(images);
    }
    String key = key(upstream);
    List<String> repositories = lister.repositories(upstream, osVersion, key);
    return ImageCatalog.fromRepositories(repositories, upstream.namespaceFor(osVersion),
        upstream.namePrefix(), images);
  }

  private static List<String> registryCatalog(BlockingRegistry registry) {
    try {
      return registry.catalog();
    } catch (RuntimeException e) {
      throw new MappingException(Causes.describe(e)
          + "; list the images under images.names in refit.yaml", e);
    }
  }

  /** The catalog's owner: a registry host, or a layout directory. */
  private static String key(UpstreamConfig upstream) {
    return upstream.kind() == UpstreamConfig.Kind.OCI
        ? "oci:" + UpstreamForms.layoutDir(upstream) : upstream.registry();
  }
}
