package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageListRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_failureBeforeRename_leavesOriginalAndNoTempFiles() throws Exception {
    Path file = Fixtures.copy("queens-env.yaml", dir);
    // a non-empty directory where the .bak must go makes the write fail after the temp file is written
    Files.createDirectories(dir.resolve("queens-env.yaml.bak").resolve("occupied"));

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("queens-env.yaml")
        .hasMessageContaining("could not write")
        .hasMessageContaining("the file was not changed");

    assertThat(Files.readAllBytes(file)).isEqualTo(Fixtures.text("queens-env.yaml").getBytes());
    assertThat(names()).containsExactlyInAnyOrder("queens-env.yaml", "queens-env.yaml.bak");
  }

  @Test
  void rewrite_success_leavesNoTempFilesAndKeepsPermissions() throws Exception {
    Path file = Fixtures.copy("overcloud_containers.yaml", dir);
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

    ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(names()).containsExactlyInAnyOrder("overcloud_containers.yaml", "overcloud_containers.yaml.bak");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void rewrite_symlink_keepsLinkAndRewritesTarget() throws Exception {
    Path real = Fixtures.copy("stein-env.yaml", dir);
    Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real.getFileName());

    RewriteResult result = ImageListRewriter.rewrite(link, Fixtures.patched());

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Fixtures.read(real)).contains("centos-binary-nova-api:apex");
    assertThat(result.backup()).isEqualTo(real.toRealPath().resolveSibling("stein-env.yaml.bak"));
  }

  @Test
  void rewrite_readOnlyDirectory_failsAndLeavesOriginal() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
        "root ignores directory permissions");
    Path sub = Files.createDirectory(dir.resolve("ro"));
    Path file = Files.writeString(sub.resolve("env.yaml"), Fixtures.text("stein-env.yaml"));
    sub.toFile().setWritable(false);
    try {
      assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
          .isInstanceOf(RewriteException.class).hasMessageContaining("could not write");
      assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("stein-env.yaml"));
    } finally {
      sub.toFile().setWritable(true);
    }
    try (Stream<Path> s = Files.list(sub)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("env.yaml");
    }
  }

  @Test
  void rewrite_malformedYaml_failsWithLineAndColumnAndLeavesFile() throws Exception {
    String text = "parameter_defaults:\n  DockerNovaApiImage: docker.io/a/centos-binary-nova-api:1\n"
        + "   ContainerKeystoneImage: [unclosed\n";
    Path file = Files.writeString(dir.resolve("env.yaml"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("env.yaml:3:")
        .hasMessageContaining("malformed YAML")
        .hasMessageContaining("the file was not changed")
        .satisfies(e -> assertThat(((RewriteException) e).line()).isEqualTo(3));
    assertThat(Fixtures.read(file)).isEqualTo(text);
    assertThat(names()).containsExactly("env.yaml");
  }

  @Test
  void rewrite_unknownYaml_failsNamingFileAndExpectedFormats() throws Exception {
    String text = "# a roles file\n- name: Controller\n  CountDefault: 1\n";
    Path file = Files.writeString(dir.resolve("roles_data.yaml"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("roles_data.yaml")
        .hasMessageContaining("unknown image-list format")
        .hasMessageContaining("Docker*Image or Container*Image")
        .hasMessageContaining("ContainerImagePrepare")
        .hasMessageContaining("mgr/cephadm/container_image_<name>");
    assertThat(Fixtures.read(file)).isEqualTo(text);
  }

  @Test
  void rewrite_emptyFile_isUnknownFormat() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.yaml"), "");

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("empty.yaml: unknown image-list format");
    assertThat(names()).containsExactly("empty.yaml");
  }

  @Test
  void rewrite_unknownTextFile_isUnknownFormat() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "just: [some\ntext that is no image list\n");

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("unknown image-list format");
  }

  @Test
  void rewrite_missingOrBinaryFile_isClearError() throws Exception {
    Path binary = Files.write(dir.resolve("blob.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertThatThrownBy(() -> ImageListRewriter.rewrite(dir.resolve("absent.yaml"), Fixtures.patched()))
        .isInstanceOf(RewriteException.class).hasMessageContaining("absent.yaml: cannot read");
    assertThatThrownBy(() -> ImageListRewriter.rewrite(binary, Fixtures.patched()))
        .isInstanceOf(RewriteException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void rewrite_invalidReference_failsWithLine() throws Exception {
    String text = "parameter_defaults:\n  ContainerNovaApiImage: 'Not A Reference!'\n";
    Path file = Files.writeString(dir.resolve("env.yaml"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("env.yaml:2:26")
        .hasMessageContaining("ContainerNovaApiImage is not an image reference");
    assertThat(Fixtures.read(file)).isEqualTo(text);
  }

  @Test
  void preview_reportsChangesWithoutWriting() throws Exception {
    Path file = Fixtures.copy("stein-env.yaml", dir);

    RewriteResult result = ImageListRewriter.preview(file, Fixtures.patched());

    assertThat(result.changes()).hasSize(6);
    assertThat(result.written()).isFalse();
    assertThat(result.summary()).contains("6 change(s) not written (preview)");
    assertThat(Fixtures.read(file)).isEqualTo(Fixtures.text("stein-env.yaml"));
    assertThat(names()).containsExactly("stein-env.yaml");
  }

  @Test
  void rewrite_crlfAndAstralCharacters_keepEverythingElse() throws Exception {
    String text = "# \uD83D\uDE80 images \u00e9\r\nparameter_defaults:\r\n"
        + "  ContainerNovaApiImage: docker.io/t/centos-binary-nova-api:1  # \uD83D\uDC0D\r\n"
        + "  ContainerKeystoneImage: \"docker.io/t/centos-binary-keystone:1\"\r\n";
    Path file = Files.writeString(dir.resolve("env.yaml"), text);

    ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(Fixtures.read(file)).isEqualTo("# \uD83D\uDE80 images \u00e9\r\nparameter_defaults:\r\n"
        + "  ContainerNovaApiImage: 10.0.0.5:8787/t/centos-binary-nova-api:apex  # \uD83D\uDC0D\r\n"
        + "  ContainerKeystoneImage: \"10.0.0.5:8787/t/centos-binary-keystone:1\"\r\n");
  }

  @Test
  void rewrite_anchorsAliasesAndTags_editValueOnce() throws Exception {
    String text = "parameter_defaults:\n"
        + "  DockerNeutronApiImage: &neutron docker.io/t/centos-binary-neutron-server:1\n"
        + "  DockerNeutronConfigImage: *neutron\n"
        + "  DockerKeystoneImage: !!str docker.io/t/centos-binary-keystone:1\n";
    Path file = Files.writeString(dir.resolve("env.yaml"), text);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(Fixtures.read(file)).isEqualTo("parameter_defaults:\n"
        + "  DockerNeutronApiImage: &neutron 10.0.0.5:8787/t/centos-binary-neutron-server:apex\n"
        + "  DockerNeutronConfigImage: *neutron\n"
        + "  DockerKeystoneImage: !!str 10.0.0.5:8787/t/centos-binary-keystone:1\n");
    assertThat(result.changes()).hasSize(2);
  }

  @Test
  void detect_envWithCephadmScriptParameter_isYamlEnv() throws Exception {
    String text = "parameter_defaults:\n"
        + "  ContainerNovaApiImage: docker.io/t/centos-binary-nova-api:1\n"
        + "  ExtraScript: |\n"
        + "    ceph config set mgr mgr/cephadm/container_image_grafana quay.io/ceph/ceph-grafana:9\n";
    Path file = Files.writeString(dir.resolve("env.yaml"), text);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    assertThat(result.format()).isEqualTo(Format.TRIPLEO_ENV);
    assertThat(Fixtures.read(file)).contains(" quay.io/ceph/ceph-grafana:9\n")
        .contains("10.0.0.5:8787/t/centos-binary-nova-api:apex");
  }

  @Test
  void rewriteAll_oneBadFile_writesNone() throws Exception {
    Path good = Fixtures.copy("stein-env.yaml", dir);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "parameter_defaults:\n  ContainerNovaApiImage: [\n");

    assertThatThrownBy(() -> ImageListRewriter.rewriteAll(java.util.List.of(good, bad), Fixtures.patched()))
        .isInstanceOf(RewriteException.class).hasMessageContaining("bad.yaml");

    assertThat(Fixtures.read(good)).isEqualTo(Fixtures.text("stein-env.yaml"));
    assertThat(names()).containsExactlyInAnyOrder("stein-env.yaml", "bad.yaml");
  }

  @Test
  void rewriteAll_goodFiles_writesEach() throws Exception {
    Path env = Fixtures.copy("stein-env.yaml", dir);
    Path conf = Fixtures.copy("cephadm-assimilate.conf", dir);

    var results = ImageListRewriter.rewriteAll(java.util.List.of(env, conf), Fixtures.patched());

    assertThat(results).extracting(RewriteResult::format).containsExactly(Format.TRIPLEO_ENV, Format.CEPHADM_CONF);
    assertThat(results).allMatch(RewriteResult::written);
    assertThat(Fixtures.read(conf)).contains("= 10.0.0.5:8787/prometheus/prometheus:v2.43.0");
  }

  @Test
  void detect_eachFixture_givesItsFormat() throws Exception {
    assertThat(ImageListRewriter.detect(Fixtures.copy("queens-env.yaml", dir))).isEqualTo(Format.TRIPLEO_ENV);
    assertThat(ImageListRewriter.detect(Fixtures.copy("stein-env.yaml", dir))).isEqualTo(Format.TRIPLEO_ENV);
    assertThat(ImageListRewriter.detect(Fixtures.copy("overcloud_containers.yaml", dir)))
        .isEqualTo(Format.OVERCLOUD_CONTAINERS);
    assertThat(ImageListRewriter.detect(Fixtures.copy("containers-prepare-parameter.yaml", dir)))
        .isEqualTo(Format.CONTAINER_IMAGE_PREPARE);
    assertThat(ImageListRewriter.detect(Fixtures.copy("cephadm-images.sh", dir))).isEqualTo(Format.CEPHADM_COMMANDS);
    assertThat(ImageListRewriter.detect(Fixtures.copy("cephadm-assimilate.conf", dir))).isEqualTo(Format.CEPHADM_CONF);
  }

  private java.util.List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
