package dev.refit.pipeline.prepare;

/** What {@code refit prepare} did for one image, as the report names it. Immutable. */
public enum Action {
  /** Mirrored from the cache, no patch applies: nothing transferred. */
  CACHED,
  /** Copied from upstream now, no patch applies. */
  FETCHED,
  /** Patched and published under the apex tag in this run. */
  PATCHED,
  /** The apex tag already carries the same build key: nothing pushed. */
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
