package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OvercloudContainersRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_imagenames_pointAtLocalAndKeepPushDestination() throws Exception {
    Path file = Fixtures.copy("overcloud_containers.yaml", dir);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched());

    String expected = Fixtures.text("overcloud_containers.yaml")
        .replace("docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo",
            "10.0.0.5:8787/tripleoqueens/centos-binary-nova-api:apex")
        .replace("docker.io/tripleoqueens/centos-binary-nova-compute:current-tripleo-rdo",
            "10.0.0.5:8787/tripleoqueens/centos-binary-nova-compute:current-tripleo-rdo")
        .replace("docker.io/tripleoqueens/centos-binary-neutron-server:current-tripleo-rdo",
            "10.0.0.5:8787/tripleoqueens/centos-binary-neutron-server:apex")
        .replace("docker.io/tripleoqueens/centos-binary-keystone:current-tripleo-rdo   # identity",
            "10.0.0.5:8787/tripleoqueens/centos-binary-keystone:current-tripleo-rdo   # identity")
        .replace("docker.io/ceph/daemon:tag-stable-3.0-luminous-centos-7", "10.0.0.5:8787/ceph/daemon:apex");
    assertThat(result.format()).isEqualTo(Format.OVERCLOUD_CONTAINERS);
    assertThat(Fixtures.read(file)).isEqualTo(expected);
    assertThat(result.changes()).extracting(Change::key).containsExactly(
        "container_images[0].imagename", "container_images[1].imagename", "container_images[2].imagename",
        "container_images[3].imagename", "container_images[4].imagename");
    assertThat(result.changes().get(0).line()).isEqualTo(3);
  }

  @Test
  void rewrite_withPushDestination_replacesIt() throws Exception {
    Path file = Fixtures.copy("overcloud_containers.yaml", dir);

    RewriteResult result = ImageListRewriter.rewrite(file, Fixtures.patched().withPushDestination("10.0.0.9:8787"));

    assertThat(Fixtures.read(file)).doesNotContain("192.168.24.1:8787")
        .contains("  push_destination: 10.0.0.9:8787\n");
    assertThat(result.changes()).hasSize(10);
  }
}
