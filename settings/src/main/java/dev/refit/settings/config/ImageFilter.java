package dev.refit.settings.config;

import dev.refit.settings.Location;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One include or exclude rule of image discovery; the pattern is searched for anywhere in the
 * image name (use {@code ^...$} to anchor). Immutable and thread-safe.
 */
public record ImageFilter(Action action, Pattern pattern, Location location) {

  /** What a match does to the image. */
  public enum Action {
    INCLUDE,
    EXCLUDE
  }

  public ImageFilter {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(location, "location");
  }

  public boolean matches(String imageName) {
    return pattern.matcher(imageName).find();
  }
}
