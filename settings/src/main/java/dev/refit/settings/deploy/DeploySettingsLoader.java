package dev.refit.settings.deploy;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlTree;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads an Apex deploy settings file into {@link DeploySettings}, rejecting keys Apex would not
 * know. Blocking; stateless and thread-safe.
 */
public final class DeploySettingsLoader {

  private static final Pattern OS_VERSION = Pattern.compile("[a-z][a-z0-9._-]*");

  private DeploySettingsLoader() {}

  public static DeploySettings load(Path file) {
    Path baseDir = baseDir(file);
    MapReader root = MapReader.of(YamlTree.parse(file), "");
    root.allowOnly(ApexKeys.TOP_LEVEL);
    // Apex refuses a file without either section (deploy_settings.py _validate_settings).
    MapReader global = root.mapping("global_params").orElseThrow(
        () -> root.missing("global_params", "at least 'ha_enabled: false'"));
    MapReader options = root.mapping("deploy_options").orElseThrow(
        () -> root.missing("deploy_options", "at least 'os_version: master'"));
    global.allowOnly(ApexKeys.GLOBAL_PARAMS);
    options.allowOnly(ApexKeys.DEPLOY_OPTIONS);

    String osVersion = options.string("os_version", Branches.DEFAULT_OS_VERSION);
    if (!OS_VERSION.matcher(osVersion).matches()) {
      throw new SettingsException(options.locationOf("os_version"),
          "'deploy_options.os_version' is not valid: '" + osVersion + "'",
          "use a lower-case OpenStack release name such as master, queens or rocky");
    }
    Location osVersionAt = options.has("os_version")
        ? options.locationOf("os_version") : options.location();
    boolean containers = options.bool("containers", false);
    PatchLists patches = global.mapping("patches")
        .map(p -> PatchSpecReader.readLists(p, baseDir))
        .orElse(PatchLists.empty());
    return new DeploySettings(file, osVersion, containers, patches, osVersionAt);
  }

  static Path baseDir(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return Optional.ofNullable(parent).orElse(Path.of(""));
  }
}
