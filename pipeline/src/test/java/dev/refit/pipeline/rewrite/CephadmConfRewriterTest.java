package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CephadmConfRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_assimilateConf_replacesValuesKeepingCommentsAndQuotes() throws Exception {
    Path file = Fixtures.copy("cephadm-assimilate.conf", dir);

    RewriteResult result = ImageListRewriter.rewrite(file,
        ImageMapping.of(Fixtures.LOCAL).withPatched(Set.of("ceph")));

    String expected = Fixtures.text("cephadm-assimilate.conf")
        .replace("= quay.io/ceph/ceph:v17.2.6", "= 10.0.0.5:8787/ceph/ceph:apex")
        .replace("= quay.io/prometheus/prometheus:v2.43.0", "= 10.0.0.5:8787/prometheus/prometheus:v2.43.0")
        .replace("\"quay.io/ceph/ceph-grafana:9.4.7\"", "\"10.0.0.5:8787/ceph/ceph-grafana:9.4.7\"")
        .replace("= quay.io/prometheus/alertmanager:v0.25.0 ; pinned upstream",
            "= 10.0.0.5:8787/prometheus/alertmanager:v0.25.0 ; pinned upstream")
        .replace("= quay.io/prometheus/node-exporter:v1.5.0", "= 10.0.0.5:8787/prometheus/node-exporter:v1.5.0");
    assertThat(result.format()).isEqualTo(Format.CEPHADM_CONF);
    assertThat(Fixtures.read(file)).isEqualTo(expected)
        .contains("\t# mgr/cephadm/container_image_haproxy = quay.io/ceph/haproxy:2.3\n")
        .contains("fsid = 4e0a0d8a-5e1c-11ee-9a07-525400a0ff01\n");
    assertThat(result.changes()).extracting(Change::line).containsExactly(4, 7, 8, 9, 10);
  }

  @Test
  void rewrite_imageKeyOutsideMgrSection_isLeftAlone() throws Exception {
    String text = "[osd]\nmgr/cephadm/container_image_base = quay.io/ceph/ceph:v17\n"
        + "[mgr]\nmgr/cephadm/container_image_base = quay.io/ceph/ceph:v17\n";
    Path file = Files.writeString(dir.resolve("x.conf"), text);

    RewriteResult result = ImageListRewriter.rewrite(file, ImageMapping.of(Fixtures.LOCAL));

    assertThat(Fixtures.read(file)).isEqualTo("[osd]\nmgr/cephadm/container_image_base = quay.io/ceph/ceph:v17\n"
        + "[mgr]\nmgr/cephadm/container_image_base = 10.0.0.5:8787/ceph/ceph:v17\n");
    assertThat(result.changes()).hasSize(1);
  }
}
