package dev.refit.patches.image;

import java.util.Set;

/**
 * Every path one layer changes, from its index alone: the entries it holds, the paths its
 * whiteout markers hide, and its opaque directories (OCI image-spec layer.md, "Whiteouts").
 * A diff of two images that share their lower layers needs only these of the layers above.
 * Immutable and thread-safe.
 */
public record LayerTouches(Set<String> entries, Set<String> whiteouts, Set<String> opaqueDirs) {
  public LayerTouches {
    entries = Set.copyOf(entries);
    whiteouts = Set.copyOf(whiteouts);
    opaqueDirs = Set.copyOf(opaqueDirs);
  }
}
