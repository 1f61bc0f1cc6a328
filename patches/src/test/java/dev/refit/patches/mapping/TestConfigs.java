package dev.refit.patches.mapping;

import dev.refit.settings.Location;
import dev.refit.settings.config.PatchPolicy;
import dev.refit.settings.config.ProjectOverride;
import dev.refit.settings.config.RefitConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test configs built from the real settings records. */
final class TestConfigs {
  private TestConfigs() {}

  static RefitConfig with(PatchPolicy policy, ProjectOverride... overrides) {
    RefitConfig d = RefitConfig.defaults();
    Map<String, ProjectOverride> map = new java.util.LinkedHashMap<>();
    for (ProjectOverride o : overrides) {
      map.put(o.project(), o);
    }
    return new RefitConfig(d.file(), d.upstream(), d.localRegistry(), d.images(), d.tag(),
        d.cacheDir(), d.concurrency(), d.builder(), policy, d.fuzz(), d.dropPaths(), map,
        d.maxPatchBytes(), d.dockerfileStyle(), d.gerritUrl(), d.jobTimeout(), d.artifacts());
  }

  static ProjectOverride override(String project, List<String> add, List<String> remove, String path) {
    return new ProjectOverride(project, add, remove, path, Location.of(Path.of("refit.yaml"), 3, 3));
  }
}
