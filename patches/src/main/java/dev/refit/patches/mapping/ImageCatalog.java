package dev.refit.patches.mapping;

import dev.refit.settings.config.ImagesConfig;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The service images refit may patch: the configured list, or a registry catalog's repository
 * names narrowed to {@code <namespace>/<name_prefix>*}; both filtered by include/exclude rules.
 * Stateless.
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
}
