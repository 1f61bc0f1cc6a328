package dev.refit.settings.deploy;

import static dev.refit.settings.TestFiles.resource;
import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommonPatchesLoaderTest {

  @TempDir Path dir;

  @Test
  void load_apexCommonPatches_readsEveryOsVersion() {
    CommonPatches common = CommonPatchesLoader.load(resource("apex/common-patches.yaml"));
    assertThat(common.byOsVersion()).containsOnlyKeys("master", "queens");
    PatchLists queens = common.forOsVersion("queens", Location.of(dir));
    assertThat(queens.undercloud()).extracting(PatchSpec::changeId)
        .containsExactly("I966bf7f6f8d1cbc656abfad59e8bb927e1aa53c2");
    assertThat(queens.overcloud()).extracting(PatchSpec::changeId).containsExactly(
        "Ie988ba6a2d444a614e97c0edf5fce24b23970310",
        "I93e3d355625508fdc42f44bdd358f3ba86fbd8d7",
        "Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6");
    assertThat(queens.overcloud().get(2).branch()).isEqualTo("master");
  }

  @Test
  void forOsVersion_missingVersion_failsNamingAvailableVersionsAndWhereOsVersionWasSet() {
    Path file = write(dir, "common.yaml", "---\npatches:\n  master:\n    undercloud: []\n");
    CommonPatches common = CommonPatchesLoader.load(file);
    Location setAt = Location.of(dir.resolve("ds.yaml"), 9, 15);
    assertThatThrownBy(() -> common.forOsVersion("rocky", setAt))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(1);
          assertThat(e.problem()).isEqualTo("no entry for os_version 'rocky' under 'patches' "
              + "(os_version set at " + setAt + "); available: master");
          assertThat(e.hint()).contains("add 'rocky:'").contains("-p");
        });
  }

  @Test
  void load_emptyVersionSection_givesEmptyLists() {
    Path file = write(dir, "common.yaml", "patches:\n  queens:\n");
    assertThat(CommonPatchesLoader.load(file).forOsVersion("queens", Location.of(file)).isEmpty())
        .isTrue();
  }

  @Test
  void load_missingPatchesKey_fails() {
    Path file = write(dir, "common.yaml", "patchez:\n  master: {}\n");
    assertThatThrownBy(() -> CommonPatchesLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.problem()).isEqualTo("unknown key 'patchez'");
          assertThat(e.hint()).startsWith("did you mean 'patches'?");
        });
  }

  @Test
  void load_unknownListKey_suggestsOvercloud() {
    Path file = write(dir, "common.yaml", "patches:\n  master:\n    overclod: []\n");
    assertThatThrownBy(() -> CommonPatchesLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(5);
          assertThat(e.problem()).isEqualTo("unknown key 'overclod' in 'patches.master'");
          assertThat(e.hint()).startsWith("did you mean 'overcloud'?");
        });
  }

  @Test
  void discover_siblingPresentOrAbsent() {
    Path settings = write(dir, "ds.yaml", "x: 1\n");
    assertThat(CommonPatchesLoader.discover(settings)).isEmpty();
    Path common = write(dir, "common-patches.yaml", "patches: {}\n");
    assertThat(CommonPatchesLoader.discover(settings)).contains(common);
  }
}
