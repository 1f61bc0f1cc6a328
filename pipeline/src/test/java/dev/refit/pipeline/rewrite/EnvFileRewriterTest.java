package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_queensDockerKeys_matchesExpectedByteForByte() throws Exception {
    Path file = Fixtures.copy("queens-env.yaml", dir);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(result.format()).isEqualTo(Format.TRIPLEO_ENV);
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("queens-env.expected.yaml"));
    assertThat(result.changes()).hasSize(9);
    assertThat(result.changes()).contains(new Change(11, "DockerNovaApiImage",
        "docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo",
        "10.0.0.5:8787/tripleoqueens/centos-binary-nova-api:apex"));
    assertThat(result.written()).isTrue();
    assertThat(result.backup()).isEqualTo(dir.resolve("queens-env.yaml.bak"));
    assertThat(Fixtures.read(result.backup())).isEqualTo(Fixtures.text("queens-env.yaml"));
  }

  @Test
  void rewrite_novajoinServer_isNotTakenForPatchedNova() throws Exception {
    Path file = Fixtures.copy("queens-env.yaml", dir);

    ImageListRewriter.rewrite(file, ImageMapping.of(Fixtures.LOCAL).withPatched(java.util.Set.of("nova")));

    assertThat(Fixtures.read(file)).doesNotContain(":apex");
  }

  @Test
  void rewrite_steinContainerKeys_onlyPatchedPointAtApex() throws Exception {
    Path file = Fixtures.copy("stein-env.yaml", dir);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    String out = Fixtures.read(file);
    assertThat(result.format()).isEqualTo(Format.TRIPLEO_ENV);
    assertThat(out)
        .contains("  ContainerNovaApiImage: 10.0.0.5:8787/tripleostein/centos-binary-nova-api:apex\n")
        .contains("  ContainerNovaSchedulerImage: 10.0.0.5:8787/tripleostein/centos-binary-nova-scheduler:current-tripleo\n")
        .contains("  ContainerNeutronApiImage: 10.0.0.5:8787/tripleostein/centos-binary-neutron-server:apex\n")
        .contains("  ContainerKeystoneImage: 10.0.0.5:8787/tripleostein/centos-binary-keystone:current-tripleo\n")
        .contains("  ContainerCephDaemonImage: 10.0.0.5:8787/ceph/daemon:apex\n")
        .contains("  ContainerImageRegistryLogin: false\n")
        .contains("  # unset on purpose\n  ContainerOctaviaApiImage: ''\n")
        .startsWith("---\n# Stein and later: Container*Image parameters (Apex's Docker regex missed these)\n");
    assertThat(result.changes()).extracting(Change::key).containsExactly("ContainerNovaApiImage",
        "ContainerNovaSchedulerImage", "ContainerNeutronApiImage", "ContainerGlanceApiImage",
        "ContainerKeystoneImage", "ContainerCephDaemonImage");
    assertThat(out.lines().count()).isEqualTo(Fixtures.text("stein-env.yaml").lines().count());
  }

  @Test
  void rewrite_heldService_keepsItsLineByteForByte() throws Exception {
    Path file = Fixtures.copy("stein-env.yaml", dir);
    ImageMapping mapping = ImageMapping.of(Fixtures.LOCAL).withPatched(java.util.Set.of("nova-api"))
        .withHeldImage("tripleostein/centos-binary-neutron-server");

    ImageListRewriter.rewrite(file, mapping);

    String out = Fixtures.read(file);
    assertThat(out)
        .contains("  ContainerNeutronApiImage: docker.io/tripleostein/centos-binary-neutron-server:current-tripleo\n")
        .contains("  ContainerNovaApiImage: 10.0.0.5:8787/tripleostein/centos-binary-nova-api:apex\n")
        .contains("  ContainerKeystoneImage: 10.0.0.5:8787/tripleostein/centos-binary-keystone:current-tripleo\n")
        .doesNotContain("10.0.0.5:8787/tripleostein/centos-binary-neutron-server");
  }

  @Test
  void rewrite_secondRun_changesNothingAndWritesNothing() throws Exception {
    Path file = Fixtures.copy("queens-env.yaml", dir);
    ImageListRewriter.rewrite(file, Fixtures.patched());
    Files.delete(dir.resolve("queens-env.yaml.bak"));
    long mtime = Files.getLastModifiedTime(file).toMillis();

    RewriteResult again = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(again.changed()).isFalse();
    assertThat(again.written()).isFalse();
    assertThat(again.summary()).contains("no changes; file not written");
    assertThat(Files.exists(dir.resolve("queens-env.yaml.bak"))).isFalse();
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(mtime);
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("queens-env.expected.yaml"));
  }

  @Test
  void rewrite_pinDigests_pinsPatchedAndKeepsUpstreamDigest() throws Exception {
    Path file = Fixtures.copy("stein-env.yaml", dir);
    Digest apex = Digest.sha256("apex nova-api".getBytes());
    ImageMapping mapping = Fixtures.patched().withPinDigests(true);
    for (String ref : new String[] {
        "10.0.0.5:8787/tripleostein/centos-binary-nova-api:apex",
        "10.0.0.5:8787/tripleostein/centos-binary-nova-scheduler:current-tripleo",
        "10.0.0.5:8787/tripleostein/centos-binary-neutron-server:apex",
        "10.0.0.5:8787/tripleostein/centos-binary-glance-api:current-tripleo",
        "10.0.0.5:8787/tripleostein/centos-binary-keystone:current-tripleo",
        "10.0.0.5:8787/ceph/daemon:apex"}) {
      mapping = mapping.withDigest(ref, ref.contains("nova-api") ? apex : Digest.sha256(ref.getBytes()));
    }

    ImageListRewriter.rewrite(file, mapping);

    assertThat(Fixtures.read(file))
        .contains("ContainerNovaApiImage: 10.0.0.5:8787/tripleostein/centos-binary-nova-api:apex@" + apex + "\n")
        .contains("ContainerKeystoneImage: 10.0.0.5:8787/tripleostein/centos-binary-keystone:current-tripleo@"
            + Digest.sha256("10.0.0.5:8787/tripleostein/centos-binary-keystone:current-tripleo".getBytes()) + "\n");
  }

  @Test
  void rewrite_pinWithoutKnownDigest_failsNamingLineAndLeavesFile() throws Exception {
    Path file = Fixtures.copy("stein-env.yaml", dir);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ImageListRewriter.rewrite(file, Fixtures.patched().withPinDigests(true)))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("stein-env.yaml:5:")
        .hasMessageContaining("no digest known for 10.0.0.5:8787/tripleostein/centos-binary-nova-api:apex")
        .hasMessageContaining("the file was not changed");
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("stein-env.yaml"));
    assertThat(Files.exists(dir.resolve("stein-env.yaml.bak"))).isFalse();
  }

  @Test
  void rewrite_queens_parsedTreeDiffersOnlyInChangedValues() throws Exception {
    Path file = Fixtures.copy("queens-env.yaml", dir);
    com.fasterxml.jackson.databind.ObjectMapper yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    com.fasterxml.jackson.databind.JsonNode before = yaml.readTree(Fixtures.text("queens-env.yaml"));

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    com.fasterxml.jackson.databind.node.ObjectNode expected = before.deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode params =
        (com.fasterxml.jackson.databind.node.ObjectNode) expected.get("parameter_defaults");
    for (Change c : result.changes()) {
      assertThat(params.get(c.key()).asText()).isEqualTo(c.oldValue());
      params.put(c.key(), c.newValue());
    }
    com.fasterxml.jackson.databind.JsonNode after = yaml.readTree(file.toFile());
    assertThat(after).isEqualTo(expected);
    java.util.List<String> keysBefore = new java.util.ArrayList<>();
    java.util.List<String> keysAfter = new java.util.ArrayList<>();
    before.get("parameter_defaults").fieldNames().forEachRemaining(keysBefore::add);
    after.get("parameter_defaults").fieldNames().forEachRemaining(keysAfter::add);
    assertThat(keysAfter).isEqualTo(keysBefore);
  }

  @Test
  void isImageKey_dockerAndContainerNamesOnly() {
    assertThat(EnvFileRewriter.isImageKey("DockerNovaApiImage")).isTrue();
    assertThat(EnvFileRewriter.isImageKey("ContainerNovaApiImage")).isTrue();
    assertThat(EnvFileRewriter.isImageKey("ContainerImagePrepare")).isFalse();
    assertThat(EnvFileRewriter.isImageKey("DockerNamespace")).isFalse();
    assertThat(EnvFileRewriter.isImageKey("ContainerImage")).isFalse();
    assertThat(EnvFileRewriter.isImageKey("NovaApiImage")).isFalse();
  }
}
