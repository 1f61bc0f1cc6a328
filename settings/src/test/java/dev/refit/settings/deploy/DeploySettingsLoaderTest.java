package dev.refit.settings.deploy;

import static dev.refit.settings.TestFiles.resource;
import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploySettingsLoaderTest {

  @TempDir Path dir;

  @Test
  void load_apexQueensScenario_readsOsVersionContainersAndPatches() {
    Path file = resource("apex/os-odl-queens-noha.yaml");
    DeploySettings ds = DeploySettingsLoader.load(file);

    assertThat(ds.file()).isEqualTo(file);
    assertThat(ds.osVersion()).isEqualTo("queens");
    assertThat(ds.containers()).isTrue();
    assertThat(ds.defaultBranch()).isEqualTo("stable/queens");
    assertThat(ds.osVersionLocation().line()).isEqualTo(23);
    assertThat(ds.patches().undercloud()).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo(PatchSpec.Source.GERRIT);
      assertThat(p.changeId()).isEqualTo("I2e0a40d7902f592e4b7bd727f57048111e0bea36");
      assertThat(p.project()).isEqualTo("openstack/tripleo-common");
      assertThat(p.shortProject()).isEqualTo("tripleo-common");
      assertThat(p.branch()).isNull();
      assertThat(p.revision()).isNull();
      assertThat(p.origin().line()).isEqualTo(11);
      assertThat(p.origin().column()).isEqualTo(9);
    });
    assertThat(ds.patches().overcloud()).extracting(PatchSpec::project, PatchSpec::branch,
            PatchSpec::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("openstack/puppet-tripleo", "stable/queens", null),
            org.assertj.core.groups.Tuple.tuple("openstack/nova", null, "3"));
  }

  @Test
  void load_apexMasterScenario_defaultsBranchToMaster() {
    DeploySettings ds = DeploySettingsLoader.load(resource("apex/os-nosdn-master-ha.yaml"));
    assertThat(ds.osVersion()).isEqualTo("master");
    assertThat(ds.defaultBranch()).isEqualTo("master");
    assertThat(ds.patches().all()).hasSize(2);
  }

  @Test
  void load_noOsVersionNoContainers_usesApexDefaults() {
    Path file = write(dir, "ds.yaml", "global_params:\n  ha_enabled: false\ndeploy_options:\n"
        + "  sdn_controller: false\n");
    DeploySettings ds = DeploySettingsLoader.load(file);
    assertThat(ds.osVersion()).isEqualTo("master");
    assertThat(ds.containers()).isFalse();
    assertThat(ds.patches().isEmpty()).isTrue();
    assertThat(ds.osVersionLocation().line()).isEqualTo(4);
  }

  @Test
  void load_misspeltDeployOption_failsWithSuggestionAndExactPosition() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          ha_enabled: false
        deploy_options:
          containers: true
          os_verison: queens
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.column()).isEqualTo(3);
          assertThat(e.problem()).isEqualTo("unknown key 'os_verison' in 'deploy_options'");
          assertThat(e.hint()).startsWith("did you mean 'os_version'?");
          assertThat(e.getMessage()).startsWith(file + ":5:3: unknown key 'os_verison'");
        });
  }

  @Test
  void load_patchEntryWithUnderscoreChangeId_suggestsDashedKey() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - change_id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
        deploy_options:
          os_version: master
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(9);
          assertThat(e.problem())
              .isEqualTo("unknown key 'change_id' in 'global_params.patches.overcloud[0]'");
          assertThat(e.hint()).startsWith("did you mean 'change-id'?");
        });
  }

  @Test
  void load_unknownTopLevelKey_listsKnownKeys() {
    Path file = write(dir, "ds.yaml", "global_params: {}\ndeploy_options: {}\nflavour: x\n");
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.problem()).isEqualTo("unknown key 'flavour'");
          assertThat(e.hint()).isEqualTo("known keys: deploy_options, global_params");
        });
  }

  @Test
  void load_containersNotBoolean_failsWithWrongType() {
    Path file = write(dir, "ds.yaml", "global_params: {}\ndeploy_options:\n  containers: 'yes'\n");
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(15);
          assertThat(e.problem()).isEqualTo(
              "'deploy_options.containers' must be a boolean (true or false), found a string (yes)");
        });
  }

  @Test
  void load_patchesIsAList_failsWithWrongType() {
    Path file = write(dir, "ds.yaml", "global_params:\n  patches: [a]\ndeploy_options: {}\n");
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.problem()).isEqualTo(
              "'global_params.patches' must be a mapping, found a list");
        });
  }

  @Test
  void load_missingDeployOptions_failsLikeApex() {
    Path file = write(dir, "ds.yaml", "global_params:\n  ha_enabled: true\n");
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.problem()).isEqualTo("missing key 'deploy_options'");
          assertThat(e.line()).isEqualTo(1);
        });
  }

  @Test
  void load_patchWithoutProject_fails() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            undercloud:
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
        deploy_options: {}
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.problem()).isEqualTo("missing key 'global_params.patches.undercloud[0].project'");
          assertThat(e.line()).isEqualTo(4);
        });
  }

  @Test
  void load_invalidChangeId_failsAtValue() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            undercloud:
              - change-id: Ixyz
                project: openstack/nova
        deploy_options: {}
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(20);
          assertThat(e.problem()).contains("change-id").contains("Ixyz");
        });
  }

  @Test
  void load_localFileAndTree_resolvedAgainstSettingsDirectory_treeKeepsAFreeFormLabel() {
    write(dir, "patches/fix.patch", "--- a/x\n+++ b/x\n");
    write(dir, "install/usr/bin/tool", "bin");
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - project: openstack/nova
                file: patches/fix.patch
              - project: openstack/neutron
                change-id: local neutron build 42
                tree: install
        deploy_options: {containers: true}
        """);
    DeploySettings ds = DeploySettingsLoader.load(file);
    PatchSpec filePatch = ds.patches().overcloud().get(0);
    PatchSpec treePatch = ds.patches().overcloud().get(1);
    assertThat(filePatch.source()).isEqualTo(PatchSpec.Source.FILE);
    assertThat(filePatch.file()).isEqualTo(dir.resolve("patches/fix.patch"));
    assertThat(filePatch.id()).isEqualTo("fix.patch");
    assertThat(treePatch.source()).isEqualTo(PatchSpec.Source.TREE);
    assertThat(treePatch.tree()).isEqualTo(dir.resolve("install"));
    assertThat(treePatch.id()).isEqualTo("local neutron build 42");
  }

  @Test
  void load_missingPatchFile_failsNamingResolvedPath() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - project: openstack/nova
                file: nowhere.patch
        deploy_options: {}
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.column()).isEqualTo(15);
          assertThat(e.problem()).isEqualTo("patch file not found: " + dir.resolve("nowhere.patch"));
        });
  }

  @Test
  void load_revisionOnLocalFile_fails() {
    write(dir, "fix.patch", "x");
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - project: openstack/nova
                file: fix.patch
                revision: 2
        deploy_options: {}
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(6);
          assertThat(e.problem()).contains("'revision' applies to Gerrit changes only");
        });
  }

  @Test
  void load_revisionShaAndRefsHeadsBranch_normalised() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                branch: refs/heads/stable/queens
                revision: 0123456789abcdef0123456789abcdef01234567
        deploy_options: {os_version: queens}
        """);
    PatchSpec p = DeploySettingsLoader.load(file).patches().overcloud().get(0);
    assertThat(p.branch()).isEqualTo("stable/queens");
    assertThat(p.revision()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
  }

  @Test
  void load_badRevision_fails() {
    Path file = write(dir, "ds.yaml", """
        global_params:
          patches:
            overcloud:
              - change-id: Id68aa27a8ab08d9c00655e5ed6b48d194aa8e6f6
                project: openstack/nova
                revision: latest
        deploy_options: {}
        """);
    assertThatThrownBy(() -> DeploySettingsLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(6);
          assertThat(e.hint()).contains("patchset number");
        });
  }
}
