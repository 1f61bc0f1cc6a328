package dev.refit.settings.deploy;

import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a common patches file, {@code patches: {<os_version>: {undercloud: [...], overcloud:
 * [...]}}}, and finds the default one beside a deploy settings file. Blocking; stateless and
 * thread-safe.
 */
public final class CommonPatchesLoader {

  /** The file Apex looks for beside the deploy settings when {@code -p} is not given. */
  public static final String DEFAULT_FILE_NAME = "common-patches.yaml";

  private CommonPatchesLoader() {}

  public static CommonPatches load(Path file) {
    Path baseDir = DeploySettingsLoader.baseDir(file);
    MapReader root = MapReader.of(YamlTree.parse(file), "");
    root.allowOnly(Set.of("patches"));
    MapReader patches = root.mapping("patches").orElseThrow(() -> root.missing(
        "patches", "one mapping per os_version, e.g. 'master: {undercloud: [], overcloud: []}'"));
    Map<String, PatchLists> byVersion = new LinkedHashMap<>();
    for (YamlMap.Entry entry : patches.map().entries().values()) {
      String version = entry.key();
      PatchLists lists = patches.mapping(version)
          .map(m -> PatchSpecReader.readLists(m, baseDir))
          .orElse(PatchLists.empty());
      byVersion.put(version, lists);
    }
    return new CommonPatches(file, byVersion, root.keyLocation("patches"));
  }

  /** {@code common-patches.yaml} in the directory of {@code deploySettings}, if it exists. */
  public static Optional<Path> discover(Path deploySettings) {
    Path candidate = DeploySettingsLoader.baseDir(deploySettings).resolve(DEFAULT_FILE_NAME);
    return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
  }
}
