package dev.refit.patches.mapping;

import dev.refit.settings.config.PatchPolicy;
import dev.refit.settings.config.ProjectOverride;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.deploy.PatchSpec;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps a project to the service images it belongs in: the project without its Gerrit namespace
 * must equal the image's service name (without namespace and name_prefix) or be followed there by
 * a '-' (so nova → nova-api, never novajoin-server), corrected by the override table.
 * Immutable and thread-safe.
 */
public final class ProjectImageMapper {
  private final RefitConfig config;

  public ProjectImageMapper(RefitConfig config) {
    this.config = config;
  }

  /** The service name of an image or repository: after the last '/', without name_prefix. */
  public String serviceName(String image) {
    String name = image.substring(image.lastIndexOf('/') + 1);
    int colon = name.indexOf(':');
    name = colon < 0 ? name : name.substring(0, colon);
    String prefix = config.upstream().namePrefix();
    return !prefix.isEmpty() && name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** The project without any Gerrit namespace ({@code openstack/nova} → {@code nova}). */
  public static String shortProject(String project) {
    return project.substring(project.lastIndexOf('/') + 1);
  }

  /** Whether {@code service} belongs to {@code project} on a word boundary. */
  public static boolean matches(String project, String service) {
    String p = shortProject(project);
    return Pattern.compile("^" + Pattern.quote(p) + "(-|$)").matcher(service).find();
  }

  /** Maps {@code project} over {@code images} (names as listed; results use service names). */
  public ImageMatch map(String project, Collection<String> images) {
    TreeSet<String> matched = new TreeSet<>();
    for (String image : images) {
      String service = serviceName(image);
      if (matches(project, service)) {
        matched.add(service);
      }
    }
    TreeSet<String> removed = new TreeSet<>();
    TreeSet<String> added = new TreeSet<>();
    Optional<ProjectOverride> override = config.overrideFor(project);
    if (override.isPresent()) {
      for (String a : override.get().add()) {
        String s = serviceName(a);
        if (matched.add(s)) {
          added.add(s);
        }
      }
      for (String r : override.get().remove()) {
        String s = serviceName(r);
        if (matched.remove(s)) {
          removed.add(s);
        }
      }
    }
    return new ImageMatch(shortProject(project), List.copyOf(matched), List.copyOf(removed),
        List.copyOf(added));
  }

  /**
   * Applies the patch policy to a match: nothing for a match with images; for an empty one, a
   * warning under lenient, a {@link MappingException} under strict.
   */
  public Optional<String> checkMatched(PatchSpec spec, ImageMatch match, int imagesSearched) {
    if (!match.images().isEmpty()) {
      return Optional.empty();
    }
    String msg = "patch " + spec.id() + " (project " + spec.project() + ", configured at "
        + spec.origin() + ") maps to no image: no service name among " + imagesSearched
        + " images equals '" + match.project() + "' or starts with '" + match.project() + "-'";
    if (config.patchPolicy() == PatchPolicy.STRICT) {
      throw new MappingException(msg + "; add the images under overrides." + match.project()
          + ".add in refit.yaml, remove the patch, or use patch_policy: lenient");
    }
    return Optional.of(msg + "; skipped (lenient policy)");
  }
}
