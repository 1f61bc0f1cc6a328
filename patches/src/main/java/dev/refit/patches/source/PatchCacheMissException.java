package dev.refit.patches.source;

import dev.refit.error.ExitCode;
import java.util.List;

/**
 * Offline ({@code --no-fetch}) and one or more Gerrit changes are not in the patch cache; lists
 * every one (change-id, project, branch, where configured) so one online run can fill the
 * cache. Exits {@link ExitCode#NOT_CACHED}. Immutable.
 */
public final class PatchCacheMissException extends PatchSourceException {
  private final List<String> missing;

  public PatchCacheMissException(List<String> missing) {
    super("offline: " + missing.size() + " Gerrit patch(es) not in the cache: "
        + String.join("; ", missing), "run once without --no-fetch while Gerrit is reachable",
        ExitCode.NOT_CACHED);
    this.missing = List.copyOf(missing);
  }

  /** One line per missing change, in settings order. */
  public List<String> missing() {
    return missing;
  }
}
