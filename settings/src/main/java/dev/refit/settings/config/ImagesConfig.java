package dev.refit.settings.config;

import java.util.List;
import java.util.Optional;

/**
 * Which upstream images refit considers: an explicit list of names, or every image found in the
 * upstream catalog; either way narrowed by ordered include/exclude rules. Image names are the
 * service part, without namespace and name_prefix (e.g. {@code nova-api}). Immutable and
 * thread-safe.
 */
public record ImagesConfig(List<String> names, List<ImageFilter> filters) {

  public ImagesConfig {
    names = List.copyOf(names);
    filters = List.copyOf(filters);
  }

  public static ImagesConfig defaults() {
    return new ImagesConfig(List.of(), List.of());
  }

  /** Whether the image list comes from the upstream catalog rather than from {@link #names}. */
  public boolean discover() {
    return names.isEmpty();
  }

  /**
   * Whether {@code imageName} is selected. As in TripleO's ContainerImagePrepare, later entries
   * override earlier ones: the last rule that matches decides. An image no rule matches is
   * selected unless there is at least one include rule.
   */
  public boolean selects(String imageName) {
    Optional<ImageFilter> decisive = Optional.empty();
    for (ImageFilter filter : filters) {
      if (filter.matches(imageName)) {
        decisive = Optional.of(filter);
      }
    }
    if (decisive.isPresent()) {
      return decisive.get().action() == ImageFilter.Action.INCLUDE;
    }
    return filters.stream().noneMatch(f -> f.action() == ImageFilter.Action.INCLUDE);
  }

  /** The explicit names, filtered; meaningful only when {@link #discover()} is false. */
  public List<String> selectedNames() {
    return names.stream().filter(this::selects).toList();
  }
}
