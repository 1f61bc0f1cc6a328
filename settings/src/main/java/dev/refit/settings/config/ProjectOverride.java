package dev.refit.settings.config;

import dev.refit.settings.Location;
import java.util.List;
import java.util.Objects;

/**
 * Manual corrections to the project → images and project → path mapping for one project.
 * Immutable and thread-safe.
 *
 * @param project the project without {@code openstack/}, e.g. {@code nova}
 * @param add images to patch in addition to those the mapping finds
 * @param remove images never to patch for this project
 * @param path absolute directory inside the images to apply the patch in; null to detect it
 */
public record ProjectOverride(String project, List<String> add, List<String> remove, String path,
    Location location) {

  public ProjectOverride {
    Objects.requireNonNull(project, "project");
    add = List.copyOf(add);
    remove = List.copyOf(remove);
    Objects.requireNonNull(location, "location");
  }
}
