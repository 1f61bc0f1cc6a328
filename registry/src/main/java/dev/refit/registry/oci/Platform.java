package dev.refit.registry.oci;

import java.util.List;
import java.util.Objects;

/**
 * An image platform (os/architecture[/variant]) as in an index entry. Immutable.
 *
 * <p>OCI image-spec image-index.md "platform".
 */
public record Platform(
    String os, String architecture, String variant, String osVersion, List<String> osFeatures) {

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
  }

  public static Platform of(String os, String architecture) {
    return new Platform(os, architecture, null, null, List.of());
  }

  /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
  public static Platform parse(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "malformed platform '" + value + "': expected os/arch[/variant], e.g. linux/amd64");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null, null, List.of());
  }

  /** True when {@code other} (from an index) satisfies this requested platform. */
  public boolean matches(Platform other) {
    if (other == null) {
      return false;
    }
    return os.equals(other.os)
        && architecture.equals(other.architecture)
        && (variant == null || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
