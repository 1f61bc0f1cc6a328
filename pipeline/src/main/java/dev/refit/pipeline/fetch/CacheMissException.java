package dev.refit.pipeline.fetch;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline ({@code --no-fetch}) and something needed is not in the cache; lists every missing
 * image reference and Gerrit patch at once so one online run can be planned. Exits
 * {@link ExitCode#NOT_CACHED}. Immutable.
 */
public final class CacheMissException extends RefitException {
  private final List<String> images;
  private final List<String> patches;

  public CacheMissException(List<String> missing) {
    this(missing, List.of());
  }

  /**
   * @param images missing upstream references (images or artifact URLs)
   * @param patches missing Gerrit patches, one line each (change-id, project, branch, where configured)
   */
  public CacheMissException(List<String> images, List<String> patches) {
    super(message(images, patches),
        "run once without --no-fetch (while the upstream is reachable) to fill the cache",
        ExitCode.NOT_CACHED);
    this.images = List.copyOf(images);
    this.patches = List.copyOf(patches);
  }

  private static String message(List<String> images, List<String> patches) {
    List<String> parts = new ArrayList<>();
    if (!images.isEmpty()) {
      parts.add(images.size() + " reference(s): " + String.join(", ", images));
    }
    if (!patches.isEmpty()) {
      parts.add(patches.size() + " patch(es): " + String.join("; ", patches));
    }
    return "offline (--no-fetch) and not in the cache: " + String.join("; ", parts);
  }

  /** Everything missing: the references first, then the patches, each in the order asked for. */
  public List<String> missing() {
    List<String> all = new ArrayList<>(images);
    all.addAll(patches);
    return all;
  }

  /** The missing upstream references, in the order they were asked for. */
  public List<String> images() {
    return images;
  }

  /** The missing Gerrit patches, in settings order. */
  public List<String> patches() {
    return patches;
  }
}
