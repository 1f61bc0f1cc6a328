package dev.refit.pipeline.diff;

/** How a path, config field or package differs between image A and image B. Immutable. */
public enum Change {
  ADDED,
  REMOVED,
  CHANGED;

  /** The JSON and table spelling: {@code added}, {@code removed}, {@code changed}. */
  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
