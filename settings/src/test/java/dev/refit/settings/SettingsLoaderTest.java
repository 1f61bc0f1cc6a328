package dev.refit.settings;

import static dev.refit.settings.TestFiles.copy;
import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.deploy.PatchSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  @TempDir Path dir;

  @Test
  void load_withoutCommonOption_usesCommonPatchesBesideSettings() {
    Path ds = copy("apex/os-odl-queens-noha.yaml", dir, "deploy.yaml");
    Path common = copy("apex/common-patches.yaml", dir, "common-patches.yaml");

    LoadedSettings loaded = SettingsLoader.load(ds, Optional.empty(), Optional.empty());

    assertThat(loaded.common()).hasValueSatisfying(c -> assertThat(c.file()).isEqualTo(common));
    assertThat(loaded.patches().undercloud()).extracting(PatchSpec::changeId).containsExactly(
        "I2e0a40d7902f592e4b7bd727f57048111e0bea36", "I966bf7f6f8d1cbc656abfad59e8bb927e1aa53c2");
    assertThat(loaded.config()).isEqualTo(RefitConfig.defaults());
  }

  @Test
  void load_withoutCommonFileAnywhere_usesOnlySettingsPatches() {
    Path ds = copy("apex/os-odl-queens-noha.yaml", dir, "deploy.yaml");
    LoadedSettings loaded = SettingsLoader.load(ds, Optional.empty(), Optional.empty());
    assertThat(loaded.common()).isEmpty();
    assertThat(loaded.patches().all()).hasSize(3)
        .allSatisfy(p -> assertThat(p.branch()).isNotNull());
  }

  @Test
  void load_explicitCommonFileMissing_failsEvenIfSiblingExists() {
    Path ds = copy("apex/os-odl-queens-noha.yaml", dir, "deploy.yaml");
    copy("apex/common-patches.yaml", dir, "common-patches.yaml");
    Path missing = dir.resolve("other.yaml");
    assertThatThrownBy(() -> SettingsLoader.load(ds, Optional.of(missing), Optional.empty()))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(missing);
          assertThat(e.problem()).isEqualTo("file not found");
        });
  }

  @Test
  void load_commonWithoutSettingsOsVersion_failsClearly() {
    Path ds = write(dir, "deploy.yaml", """
        global_params: {ha_enabled: false}
        deploy_options:
          containers: true
          os_version: rocky
        """);
    copy("apex/common-patches.yaml", dir, "common-patches.yaml");
    assertThatThrownBy(() -> SettingsLoader.load(ds, Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(dir.resolve("common-patches.yaml"));
          assertThat(e.problem()).contains("no entry for os_version 'rocky'")
              .contains(ds + ":4:15").contains("available: master, queens");
        });
  }

  @Test
  void load_missingDeploySettings_fails() {
    Path ds = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> SettingsLoader.load(ds, Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(ds);
          assertThat(e.getMessage()).startsWith(ds + ": file not found");
        });
  }

  @Test
  void load_withRefitConfig_readsIt() {
    Path ds = copy("apex/os-nosdn-master-ha.yaml", dir, "deploy.yaml");
    Path refit = write(dir, "refit.yaml", "concurrency: 2\n");
    LoadedSettings loaded = SettingsLoader.load(ds, Optional.empty(), Optional.of(refit));
    assertThat(loaded.config().concurrency()).isEqualTo(2);
    assertThat(loaded.config().file()).isEqualTo(refit);
  }
}
