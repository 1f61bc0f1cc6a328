package dev.refit.pipeline.prepare;

/** What {@code refit prepare} did for one image, as the report names it. Immutable. */
public enum Action {
  /** Offline ({@code --no-fetch}): taken from the cache without asking upstream; no patch applies. */
  CACHED,
  /** Copied from upstream now, no patch applies. */
  FETCHED,
  /** Patched and published under the apex tag in this run. */
  PATCHED,
  /**
   * Nothing to do: the apex tag already carries the same build key, or (no patch applies) the
   * upstream digest is the one already mirrored. Nothing pushed.
   */
  UNCHANGED,
  /** Left alone by the plan (no patch targets it). */
  SKIPPED,
  /** A stage failed for this image; the others went on. */
  FAILED;

  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
