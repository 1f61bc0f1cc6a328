package dev.refit.pipeline.diff;

import dev.refit.registry.oci.Platform;
import java.util.List;

/**
 * What a diff compares: the paths it is restricted to, and the platform picked from an index.
 * Immutable.
 *
 * @param globs absolute or relative globs (JDK "glob:" syntax, {@code **} across components);
 *     empty compares every path
 * @param platform the manifest to pick from an index
 */
public record DiffOptions(List<String> globs, Platform platform) {
  /** The host platform refit builds for. */
  public static final Platform DEFAULT_PLATFORM = Platform.of("linux", "amd64");

  public DiffOptions {
    globs = List.copyOf(globs);
  }

  /** Every path, linux/amd64. */
  public static DiffOptions defaults() {
    return new DiffOptions(List.of(), DEFAULT_PLATFORM);
  }

  public DiffOptions withGlobs(List<String> g) {
    return new DiffOptions(g, platform);
  }

  public DiffOptions withPlatform(Platform p) {
    return new DiffOptions(globs, p);
  }
}
