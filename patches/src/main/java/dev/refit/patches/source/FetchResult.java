package dev.refit.patches.source;

import java.util.List;

/**
 * The outcome of fetching every patch of a settings file, in settings order: the patches to apply
 * and the entries skipped with a warning. Immutable and thread-safe.
 */
public record FetchResult(List<FetchedPatch> patches, List<SkippedPatch> skipped) {
  public FetchResult {
    patches = List.copyOf(patches);
    skipped = List.copyOf(skipped);
  }

  public List<String> warnings() {
    return skipped.stream().map(SkippedPatch::warning).toList();
  }
}
