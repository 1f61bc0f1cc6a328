package dev.refit.pipeline.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code refit mirror --cephadm-conf}: the cephadm image set mirrored, then its settings written for the mirror. */
class MirrorCephadmTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();
  private Vertx vertx;
  private InProcessRegistry mirror;
  private Path sync;

  @BeforeEach
  void start() throws Exception {
    vertx = up.vertx;
    mirror = InProcessRegistry.start(tmp.resolve("mirror"));
    UpstreamImages images = up.images;
    byte[] base = UpstreamImages.layer(1, 2_000);
    images.image("ceph/ceph", "v18.2.4", AMD64, base);
    images.image("ceph/ceph-grafana", "9.4.7", AMD64, base);
    images.image("prometheus/prometheus", "v2.43.0", AMD64, base);
    images.image("prometheus/alertmanager", "v0.25.0", AMD64, base);
    images.image("prometheus/node-exporter", "v1.5.0", AMD64, base);
    images.image("ceph/haproxy", "2.3", AMD64, base);
    images.image("ceph/keepalived", "2.1.5", AMD64, base);
    images.image("ceph/other", "1", AMD64, base);
    sync = Files.writeString(tmp.resolve("sync.yaml"), """
        %s:
          images:
            ceph/ceph: [v18.2.4]
            ceph/ceph-grafana: ["9.4.7"]
            prometheus/prometheus: [v2.43.0]
            prometheus/alertmanager: [v0.25.0]
            prometheus/node-exporter: [v1.5.0]
            ceph/haproxy: ["2.3"]
            ceph/keepalived: ["2.1.5"]
            ceph/other: ["1"]
          refit:
            retag:
              ceph/ceph: {v18.2.4: v18}
        """.formatted(up.upstream.hostPort()));
  }

  @AfterEach
  void stop() {
    mirror.close();
  }

  @Test
  void cephadmConf_cephadmImageSet_writesEverySettingPointingAtTheMirror() throws Exception {
    Path conf = tmp.resolve("cephadm-images.conf");
    String m = mirror.hostPort();

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store"))
        .withTo("docker://" + m).withNaming(DestinationNaming.PATH).withCephadmConf(conf));

    assertThat(report.failed()).as(report.table()).isEmpty();
    assertThat(Files.readString(conf)).isEqualTo("""
        # cephadm images in the mirror, written by refit mirror --cephadm-conf.
        # Apply with: ceph config assimilate-conf -i cephadm-images.conf
        [global]
        \tcontainer_image = %1$s/ceph/ceph:v18
        [mgr]
        \tmgr/cephadm/container_image_prometheus = %1$s/prometheus/prometheus:v2.43.0
        \tmgr/cephadm/container_image_grafana = %1$s/ceph/ceph-grafana:9.4.7
        \tmgr/cephadm/container_image_alertmanager = %1$s/prometheus/alertmanager:v0.25.0
        \tmgr/cephadm/container_image_node_exporter = %1$s/prometheus/node-exporter:v1.5.0
        \tmgr/cephadm/container_image_haproxy = %1$s/ceph/haproxy:2.3
        \tmgr/cephadm/container_image_keepalived = %1$s/ceph/keepalived:2.1.5
        """.formatted(m));
    assertThat(mirror.store().get("ceph/ceph", "v18")).as("the settings name what the mirror holds").isPresent();
    assertThat(mirror.store().get("ceph/keepalived", "2.1.5")).isPresent();
    assertThat(report.cephadmConf().changes()).hasSize(7);
    assertThat(report.table()).contains("cephadm settings: " + conf);
  }

  @Test
  void cephadmConf_existingFile_isReplacedAndKeptAsBak() throws Exception {
    Path conf = Files.writeString(tmp.resolve("cephadm.conf"), "[global]\n\tcontainer_image = old\n");

    Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store"))
        .withTo("docker://" + mirror.hostPort()).withNaming(DestinationNaming.PATH).withCephadmConf(conf));

    assertThat(Files.readString(tmp.resolve("cephadm.conf.bak"))).contains("container_image = old");
    assertThat(Files.readString(conf)).contains(mirror.hostPort() + "/ceph/ceph:v18");
  }

  @Test
  void cephadmConf_withoutKeepPathOrRegistry_isRefusedBeforeCopying() {
    Path conf = tmp.resolve("c.conf");
    assertThatThrownBy(() -> Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store"))
        .withTo("docker://" + mirror.hostPort()).withCephadmConf(conf)))
        .isInstanceOfSatisfying(RefitException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e.getMessage()).contains("--keep-path");
        });
    assertThatThrownBy(() -> Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store"))
        .withNaming(DestinationNaming.PATH).withCephadmConf(conf)))
        .isInstanceOfSatisfying(RefitException.class, e -> assertThat(e.getMessage()).contains("embedded store"));
    assertThat(mirror.store().get("ceph/ceph", "v18")).isEmpty();
    assertThat(conf).doesNotExist();
  }
}
