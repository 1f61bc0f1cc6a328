package dev.refit.settings;

import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.deploy.CommonPatches;
import dev.refit.settings.deploy.DeploySettings;
import dev.refit.settings.deploy.PatchLists;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a refit run reads from files: the deploy settings, the common patches used (if
 * any), the merged and deduplicated patch lists, and refit's own configuration. Immutable and
 * thread-safe.
 *
 * @param patches the effective lists: deploy settings' patches first, then common patches,
 *     duplicates removed, every Gerrit entry with its branch set
 */
public record LoadedSettings(DeploySettings deploy, Optional<CommonPatches> common,
    PatchLists patches, RefitConfig config) {

  public LoadedSettings {
    Objects.requireNonNull(deploy, "deploy");
    Objects.requireNonNull(common, "common");
    Objects.requireNonNull(patches, "patches");
    Objects.requireNonNull(config, "config");
  }
}
