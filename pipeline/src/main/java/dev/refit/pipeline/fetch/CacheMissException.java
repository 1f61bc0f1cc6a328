package dev.refit.pipeline.fetch;

import java.util.List;

/**
 * Offline ({@code --no-fetch}) and something needed is not in the cache; lists every missing
 * reference at once so one online run can be planned. The CLI maps it to exit code 3.
 */
public final class CacheMissException extends RuntimeException {
  private final List<String> missing;

  public CacheMissException(List<String> missing) {
    super("--no-fetch: " + missing.size() + " reference(s) not in the cache: " + String.join(", ", missing)
        + "; run once without --no-fetch (while the upstream is reachable) to fill the cache");
    this.missing = List.copyOf(missing);
  }

  /** The missing references, in the order they were asked for. */
  public List<String> missing() {
    return missing;
  }
}
