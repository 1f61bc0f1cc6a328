package dev.refit.settings;

import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.config.RefitConfigLoader;
import dev.refit.settings.deploy.CommonPatches;
import dev.refit.settings.deploy.CommonPatchesLoader;
import dev.refit.settings.deploy.DeploySettings;
import dev.refit.settings.deploy.DeploySettingsLoader;
import dev.refit.settings.deploy.PatchLists;
import dev.refit.settings.deploy.PatchMerger;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point for {@code -d SETTINGS [-p COMMON] [-c refit.yaml]}: loads all three files and
 * merges the patch lists, failing fast with a {@link SettingsException}. Blocking; stateless and
 * thread-safe.
 */
public final class SettingsLoader {

  private SettingsLoader() {}

  /**
   * Loads the settings of one run.
   *
   * @param deploySettings the Apex deploy settings file ({@code -d}), required
   * @param commonPatches the common patches file ({@code -p}); when empty,
   *     {@code common-patches.yaml} beside the deploy settings is used if it exists. A given file
   *     that does not exist is an error (Apex falls back silently; refit does not guess).
   * @param refitConfig refit.yaml ({@code -c}); when empty, all defaults
   */
  public static LoadedSettings load(
      Path deploySettings, Optional<Path> commonPatches, Optional<Path> refitConfig) {
    Objects.requireNonNull(deploySettings, "deploySettings");
    DeploySettings deploy = DeploySettingsLoader.load(deploySettings);
    Optional<Path> commonFile = commonPatches.isPresent()
        ? commonPatches : CommonPatchesLoader.discover(deploySettings);
    Optional<CommonPatches> common = commonFile.map(CommonPatchesLoader::load);
    PatchLists merged = PatchMerger.merge(deploy, common);
    RefitConfig config = RefitConfigLoader.loadOrDefaults(refitConfig);
    return new LoadedSettings(deploy, common, merged, config);
  }
}
