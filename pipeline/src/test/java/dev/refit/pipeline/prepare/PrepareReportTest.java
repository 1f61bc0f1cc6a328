package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareReportTest {
  private static final String UP = "sha256:" + "a".repeat(64);
  private static final String APEX = "sha256:" + "b".repeat(64);

  private static PrepareReport report() {
    return new PrepareReport("127.0.0.1:8787", List.of(
        new ImageOutcome("nova-api", "docker.io/tripleomaster/centos-binary-nova-api:t", UP,
            Action.PATCHED, null, APEX, "tripleomaster/centos-binary-nova-api:apex@" + APEX,
            List.of("I1"), 1500),
        ImageOutcome.failed("neutron-server", "docker.io/tripleomaster/centos-binary-neutron-server:t",
            UP, "hunk #1 does not match\nrebase the patch", 200)), List.of());
  }

  @Test
  void table_oneRowPerImage_withReasonAndApexReference() {
    String table = report().table();

    assertThat(table).containsPattern("nova-api +patched +sha256:aaaaaaaaaaaa +sha256:bbbbbbbbbbbb +1\\.5s")
        .contains("-> tripleomaster/centos-binary-nova-api:apex@" + APEX)
        .containsPattern("neutron-server +failed")
        .contains("hunk #1 does not match").contains("2 image(s), 1 failed");
  }

  @Test
  void table_serviceLongerThan24_columnsStayAligned() {
    String longName = "neutron-metadata-agent-ovn-controller";
    PrepareReport report = new PrepareReport("h:1", List.of(
        new ImageOutcome("nova-api", "r/nova-api:t", UP, Action.FETCHED, null, null, null, null, 100),
        ImageOutcome.failed(longName, "r/" + longName + ":t", UP, "hunk #1 does not match\nrebase it", 12300)),
        List.of());

    List<String> lines = report.table().lines().toList();

    assertThat(lines.get(0)).startsWith("IMAGE" + " ".repeat(longName.length() - 4) + "ACTION ");
    int action = lines.get(0).indexOf("ACTION");
    int upstream = lines.get(0).indexOf("UPSTREAM DIGEST");
    int time = lines.get(0).indexOf("TIME");
    for (String row : List.of(lines.get(1), lines.get(2))) {
      assertThat(row.charAt(action - 1)).as(row).isEqualTo(' ');
      assertThat(row.substring(action)).as(row).matches("(fetched|failed) +sha256:.*");
      assertThat(row.substring(upstream)).as(row).startsWith("sha256:aaaaaaaaaaaa ");
      assertThat(row.substring(time, time + 5)).as(row).matches(" *\\d+\\.\\ds *");
    }
    assertThat(lines.get(2)).startsWith(longName + " failed");
    // the reason's lines start under the action column
    assertThat(lines.get(3)).isEqualTo(" ".repeat(action) + "hunk #1 does not match");
    assertThat(lines.get(4)).isEqualTo(" ".repeat(action) + "rebase it");
  }

  @Test
  void tableAndJson_artifacts_oneLineEachWithActionDestBytesAndUrl() {
    PrepareReport report = new PrepareReport("h:1", report().images(), List.of(), null, List.of(
        new ArtifactOutcome("https://x.org/overcloud-full.tar", "images/overcloud-full.tar", "fetched", 4096),
        new ArtifactOutcome("https://x.org/undercloud.qcow2", "undercloud.qcow2", "cached", 0)));

    assertThat(report.table())
        .contains("artifact fetched images/overcloud-full.tar  4096 bytes  https://x.org/overcloud-full.tar\n")
        .contains("artifact cached  undercloud.qcow2  0 bytes  https://x.org/undercloud.qcow2\n");
    assertThat(report.toJson()).containsSubsequence("\"images\"", "\"artifacts\"",
        "\"url\" : \"https://x.org/overcloud-full.tar\"", "\"dest\" : \"images/overcloud-full.tar\"",
        "\"action\" : \"fetched\"", "\"bytes\" : 4096", "\"rewritten\"");
  }

  @Test
  void exitCode_anyFailed_isOne_elseZero() {
    assertThat(report().exitCode()).isEqualTo(1);
    assertThat(new PrepareReport("h:1", List.of(report().images().get(0)), List.of()).exitCode())
        .isZero();
  }

  @Test
  void writeTo_replacesAtomically_andLeavesNoTempFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(PrepareReport.FILE_NAME), "old");

    Path written = report().writeTo(dir);

    var json = Json.mapper().readTree(Files.readString(written));
    assertThat(json.get("images").get(0).get("action").asText()).isEqualTo("patched");
    assertThat(json.get("images").get(1).get("reason").asText()).startsWith("hunk #1");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(PrepareReport.FILE_NAME);
    }
  }
}
