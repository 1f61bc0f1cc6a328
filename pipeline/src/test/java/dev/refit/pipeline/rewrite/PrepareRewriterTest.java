package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_prepare_matchesExpectedByteForByte() throws Exception {
    Path file = Fixtures.copy("containers-prepare-parameter.yaml", dir);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(result.format()).isEqualTo(Format.CONTAINER_IMAGE_PREPARE);
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("containers-prepare-parameter.expected.yaml"));
    assertThat(result.changes()).extracting(Change::key).contains("ContainerImagePrepare[0].set.namespace",
        "ContainerImagePrepare[0].set.ceph_namespace", "ContainerImagePrepare[0].set.ceph_tag",
        "ContainerImagePrepare[0].excludes", "ContainerImagePrepare[1].set.namespace", "ContainerImagePrepare[+]");
  }

  @Test
  void rewrite_prepare_resultIsWhatTripleoReads() throws Exception {
    Path file = Fixtures.copy("containers-prepare-parameter.yaml", dir);

    ImageListRewriter.rewrite(file, Fixtures.patched());

    JsonNode entries = new ObjectMapper(new YAMLFactory()).readTree(file.toFile())
        .path("parameter_defaults").path("ContainerImagePrepare");
    assertThat(entries).hasSize(3);
    JsonNode general = entries.get(0);
    JsonNode override = entries.get(2);
    assertThat(general.path("tag_from_label").asText()).isEqualTo("rdo_version");
    assertThat(override.path("set").path("tag").asText()).isEqualTo("apex");
    assertThat(override.has("tag_from_label")).isFalse();
    assertThat(override.path("push_destination").asBoolean()).isTrue();
    // the general entry no longer yields the patched images, the override yields exactly them
    for (String image : new String[] {"centos-binary-nova-api", "centos-binary-neutron-server"}) {
      assertThat(anyFinds(general.path("excludes"), image)).as(image).isTrue();
      assertThat(anyFinds(override.path("includes"), image)).as(image).isTrue();
    }
    for (String image : new String[] {"centos-binary-novajoin-server", "centos-binary-nova-api-cfn",
        "centos-binary-nova-compute", "centos-binary-neutron-server-ovn"}) {
      assertThat(anyFinds(override.path("includes"), image)).as(image).isFalse();
      assertThat(anyFinds(general.path("excludes"), image)).as(image).isFalse();
    }
    assertThat(anyFinds(override.path("includes"), "docker.io/tripleotrain/centos-binary-nova-api:current-tripleo"))
        .isTrue();
  }

  @Test
  void rewrite_heldService_itsStrategyKeepsTheUpstreamNamespace() throws Exception {
    Path file = Fixtures.copy("containers-prepare-parameter.yaml", dir);
    ImageMapping mapping = ImageMapping.of(Fixtures.LOCAL).withPatched(Set.of("nova-api"))
        .withHeldImage("tripleotrain/centos-binary-neutron-server");

    ImageListRewriter.rewrite(file, mapping);

    JsonNode entries = new ObjectMapper(new YAMLFactory()).readTree(file.toFile())
        .path("parameter_defaults").path("ContainerImagePrepare");
    JsonNode general = entries.get(0);
    JsonNode override = entries.get(2);
    // neutron-server still comes from upstream, never from the mirror of its unpatched tag
    assertThat(general.path("set").path("namespace").asText()).isEqualTo("docker.io/tripleotrain");
    assertThat(anyFinds(general.path("excludes"), "centos-binary-neutron-server")).isFalse();
    assertThat(anyFinds(general.path("excludes"), "centos-binary-nova-api")).isTrue();
    assertThat(override.path("set").path("namespace").asText()).isEqualTo(Fixtures.LOCAL + "/tripleotrain");
    assertThat(anyFinds(override.path("includes"), "centos-binary-nova-api")).isTrue();
    assertThat(anyFinds(override.path("includes"), "centos-binary-neutron-server")).isFalse();
    // a strategy that does not yield the held image still moves
    assertThat(entries.get(1).path("set").path("namespace").asText()).isEqualTo(Fixtures.LOCAL + "/tripleotrain");
  }

  @Test
  void rewrite_secondRun_isIdempotent() throws Exception {
    Path file = Fixtures.copy("containers-prepare-parameter.yaml", dir);
    ImageListRewriter.rewrite(file, Fixtures.patched());

    RewriteResult again = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(again.changes()).isEmpty();
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("containers-prepare-parameter.expected.yaml"));
  }

  @Test
  void rewrite_noPatched_onlyMovesNamespaces() throws Exception {
    Path file = Fixtures.copy("containers-prepare-parameter.yaml", dir);

    ImageListRewriter.rewrite(file, ImageMapping.of(Fixtures.LOCAL));

    String expected = Fixtures.text("containers-prepare-parameter.yaml")
        .replace("namespace: docker.io/", "namespace: 10.0.0.5:8787/")
        .replace("namespace: quay.io/", "namespace: 10.0.0.5:8787/");
    assertThat(Fixtures.read(file)).isEqualTo(expected);
  }

  @Test
  void rewrite_noExcludesKeyAndFlowExcludes_insertsThem() throws Exception {
    String text = "parameter_defaults:\n"
        + "  ContainerImagePrepare:\n"
        + "    - set:\n"
        + "        namespace: docker.io/tripleomaster\n"
        + "        name_prefix: centos-binary-\n"
        + "        tag: current-tripleo\n"
        + "    - excludes: [ironic]\n"
        + "      set: {namespace: docker.io/tripleomaster, name_prefix: centos-binary-, tag: x}\n";
    Path file = Files.writeString(dir.resolve("prepare.yaml"), text);

    ImageListRewriter.rewrite(file, ImageMapping.of(Fixtures.LOCAL).withPatched(Set.of("nova-api")));

    assertThat(Fixtures.read(file)).isEqualTo("parameter_defaults:\n"
        + "  ContainerImagePrepare:\n"
        + "    - set:\n"
        + "        namespace: 10.0.0.5:8787/tripleomaster\n"
        + "        name_prefix: centos-binary-\n"
        + "        tag: current-tripleo\n"
        + "      excludes:\n"
        + "      - '(^|/)centos-binary-nova-api(:|$)'\n"
        + "    - excludes: [ironic, '(^|/)centos-binary-nova-api(:|$)']\n"
        + "      set: {namespace: 10.0.0.5:8787/tripleomaster, name_prefix: centos-binary-, tag: x}\n"
        + "    # refit: patched images, tag apex in the local registry\n"
        + "    - includes:\n"
        + "      - '(^|/)centos-binary-nova-api(:|$)'\n"
        + "      set:\n"
        + "        namespace: 10.0.0.5:8787/tripleomaster\n"
        + "        name_prefix: centos-binary-\n"
        + "        tag: apex\n");
  }

  @Test
  void rewrite_badIncludeRegex_failsWithLocation() throws Exception {
    String text = "parameter_defaults:\n  ContainerImagePrepare:\n  - includes:\n    - 'nova-api('\n"
        + "    set:\n      namespace: docker.io/tripleomaster\n";
    Path file = Files.writeString(dir.resolve("prepare.yaml"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("prepare.yaml:4:7")
        .hasMessageContaining("not a valid regular expression");
    assertThat(Fixtures.read(file)).isEqualTo(text);
  }

  @Test
  void rewrite_entryWithoutNamespace_failsSayingWhatToAdd() throws Exception {
    String text = "parameter_defaults:\n  ContainerImagePrepare:\n  - push_destination: true\n    set:\n      tag: x\n";
    Path file = Files.writeString(dir.resolve("prepare.yaml"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("prepare.yaml:3:5")
        .hasMessageContaining("ContainerImagePrepare[0] has no set.namespace")
        .hasMessageContaining("add set.namespace");
    assertThat(Fixtures.read(file)).isEqualTo(text);
  }

  private static boolean anyFinds(JsonNode patterns, String name) {
    for (JsonNode p : patterns) {
      if (Pattern.compile(p.asText()).matcher(name).find()) {
        return true;
      }
    }
    return false;
  }
}
