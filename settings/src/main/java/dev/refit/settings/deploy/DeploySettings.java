package dev.refit.settings.deploy;

import dev.refit.settings.Location;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The subset of an Apex deploy settings file that refit uses: {@code deploy_options.os_version},
 * {@code deploy_options.containers} and the {@code global_params.patches} lists as written (not
 * yet merged with common patches). Immutable and thread-safe.
 *
 * @param osVersionLocation where os_version was set, or the deploy_options mapping if defaulted
 */
public record DeploySettings(
    Path file, String osVersion, boolean containers, PatchLists patches,
    Location osVersionLocation) {

  public DeploySettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(osVersionLocation, "osVersionLocation");
    Objects.requireNonNull(osVersion, "osVersion");
    Objects.requireNonNull(patches, "patches");
  }

  /** The branch used for entries without {@code branch}; see {@link Branches#defaultBranch}. */
  public String defaultBranch() {
    return Branches.defaultBranch(osVersion);
  }
}
