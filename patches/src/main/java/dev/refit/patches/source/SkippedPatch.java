package dev.refit.patches.source;

import dev.refit.settings.deploy.PatchSpec;
import java.util.Objects;

/**
 * A settings entry that yields no patch, with the warning to show (an abandoned change).
 * Immutable and thread-safe.
 */
public record SkippedPatch(PatchSpec spec, String status, String warning) {
  public SkippedPatch {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(warning, "warning");
  }
}
