package dev.refit.settings.deploy;

import static dev.refit.settings.TestFiles.resource;
import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchMergerTest {

  @TempDir Path dir;

  private final CommonPatches common = CommonPatchesLoader.load(resource("apex/common-patches.yaml"));

  @Test
  void merge_queens_settingsFirstThenCommonWithDefaultBranchFilledIn() {
    DeploySettings ds = DeploySettingsLoader.load(resource("apex/os-odl-queens-noha.yaml"));
    PatchLists merged = PatchMerger.merge(ds, Optional.of(common));

    assertThat(merged.undercloud()).extracting(PatchSpec::changeId, PatchSpec::branch)
        .containsExactly(
            tuple("I2e0a40d7902f592e4b7bd727f57048111e0bea36", "stable/queens"),
            tuple("I966bf7f6f8d1cbc656abfad59e8bb927e1aa53c2", "stable/queens"));
    // Ie988 appears in both, explicitly on stable/queens in the settings and without a branch
    // (so stable/queens) in the common file: kept once. Id68 on master is another change.
    assertThat(merged.overcloud())
        .extracting(PatchSpec::changeId, PatchSpec::branch, PatchSpec::revision)
        .containsExactly(
            tuple("Ie988ba6a2d444a614e97c0edf5fce24b23970310", "stable/queens", null),
            tuple("Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6", "stable/queens", "3"),
            tuple("I93e3d355625508fdc42f44bdd358f3ba86fbd8d7", "stable/queens", null),
            tuple("Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6", "master", null));
    assertThat(merged.overcloud().get(0).origin().file()).isEqualTo(ds.file());
  }

  @Test
  void merge_master_changeWithoutBranchEqualsSameChangeWithExplicitMaster() {
    DeploySettings ds = DeploySettingsLoader.load(resource("apex/os-nosdn-master-ha.yaml"));
    PatchLists merged = PatchMerger.merge(ds, Optional.of(common));

    assertThat(merged.undercloud()).extracting(PatchSpec::changeId).containsExactly(
        "Iaa2276aadae351fbc138de258c51d786f69e4395",
        "I2e0a40d7902f592e4b7bd727f57048111e0bea36");
    assertThat(merged.overcloud()).extracting(PatchSpec::changeId, PatchSpec::branch)
        .containsExactly(
            tuple("Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6", "master"),
            tuple("Ie988ba6a2d444a614e97c0edf5fce24b23970310", "master"));
  }

  @Test
  void merge_withoutCommon_fillsBranchesAndDedupesWithinOneFile() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - {change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6, project: openstack/nova}
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                branch: stable/rocky
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                branch: stable/queens
        deploy_options: {os_version: rocky}
        """);
    PatchLists merged = PatchMerger.merge(DeploySettingsLoader.load(file), Optional.empty());
    assertThat(merged.overcloud()).extracting(PatchSpec::branch)
        .containsExactly("stable/rocky", "stable/queens");
  }

  @Test
  void merge_sameChangeDifferentRevisions_failsNamingBothPlaces() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                revision: 2
        deploy_options: {os_version: master}
        """);
    Path commonFile = write(dir, "common.yaml", """
        patches:
          master:
            overcloud:
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                branch: master
        """);
    DeploySettings ds = DeploySettingsLoader.load(file);
    Optional<CommonPatches> c = Optional.of(CommonPatchesLoader.load(commonFile));
    assertThatThrownBy(() -> PatchMerger.merge(ds, c))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(commonFile);
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.problem()).contains("revision (latest)")
              .contains("first listed at " + file + ":4:9 with revision 2");
        });
  }

  @Test
  void merge_sameLocalFileTwice_keptOnce() {
    write(dir, "p/fix.patch", "x");
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            undercloud:
              - {project: openstack/nova, file: p/fix.patch}
              - {project: openstack/nova, file: ./p/../p/fix.patch}
        deploy_options: {}
        """);
    PatchLists merged = PatchMerger.merge(DeploySettingsLoader.load(file), Optional.empty());
    assertThat(merged.undercloud()).hasSize(1);
  }
}
