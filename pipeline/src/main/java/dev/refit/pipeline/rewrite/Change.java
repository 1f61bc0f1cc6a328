package dev.refit.pipeline.rewrite;

/**
 * One change made to an image list: where (1-based line of the value, or of the insertion), which
 * key, the old text (empty for insertions) and the new text. Immutable; thread-safe.
 */
public record Change(int line, String key, String oldValue, String newValue) {

  @Override
  public String toString() {
    return "line " + line + " " + key + ": " + (oldValue.isEmpty() ? "(added)" : oldValue)
        + " -> " + newValue;
  }
}
