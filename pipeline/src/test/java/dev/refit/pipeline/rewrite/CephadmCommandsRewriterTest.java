package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CephadmCommandsRewriterTest {

  @TempDir
  Path dir;

  @Test
  void rewrite_commands_replaceOnlyReferenceWordsKeepingQuotes() throws Exception {
    Path file = Fixtures.copy("cephadm-images.sh", dir);

    RewriteResult result = ImageListRewriter.rewrite(file,
        ImageMapping.of(Fixtures.LOCAL).withPatched(Set.of("ceph")));

    String expected = Fixtures.text("cephadm-images.sh")
        .replace("global container_image quay.io/ceph/ceph:v17.2.6", "global container_image 10.0.0.5:8787/ceph/ceph:apex")
        .replace(" quay.io/prometheus/prometheus:v2.43.0", " 10.0.0.5:8787/prometheus/prometheus:v2.43.0")
        .replace("'quay.io/ceph/ceph-grafana:9.4.7'", "'10.0.0.5:8787/ceph/ceph-grafana:9.4.7'")
        .replace("\"quay.io/prometheus/alertmanager:v0.25.0\"", "\"10.0.0.5:8787/prometheus/alertmanager:v0.25.0\"")
        .replace(" quay.io/prometheus/node-exporter:v1.5.0;", " 10.0.0.5:8787/prometheus/node-exporter:v1.5.0;");
    assertThat(result.format()).isEqualTo(Format.CEPHADM_COMMANDS);
    assertThat(Fixtures.read(file)).isEqualTo(expected)
        .contains("# ceph config set mgr mgr/cephadm/container_image_haproxy quay.io/ceph/haproxy:2.3\n");
    assertThat(result.changes()).extracting(Change::key).containsExactly("container_image",
        "mgr/cephadm/container_image_prometheus", "mgr/cephadm/container_image_grafana",
        "mgr/cephadm/container_image_alertmanager", "mgr/cephadm/container_image_node_exporter");
    assertThat(result.changes()).extracting(Change::line).containsExactly(4, 5, 6, 7, 9);
  }

  @Test
  void rewrite_shellExpansion_isRefusedWithLine() throws Exception {
    String text = "ceph config set mgr mgr/cephadm/container_image_base \"$REGISTRY/ceph/ceph:v17\"\n";
    Path file = Files.writeString(dir.resolve("images.sh"), text);

    assertThatThrownBy(() -> ImageListRewriter.rewrite(file, Fixtures.patched()))
        .isInstanceOf(RewriteException.class)
        .hasMessageContaining("images.sh:1")
        .hasMessageContaining("shell expansion");
    assertThat(Fixtures.read(file)).isEqualTo(text);
  }

  @Test
  void parse_quotesEscapesAndContinuations_giveWordsWithRanges() throws Exception {
    String text = "a 'b c' \"d\\\"e\" f\\ g \\\n  h # comment\nne\\\nxt;other";

    var commands = ShellWords.parse(text);

    assertThat(commands).hasSize(3);
    assertThat(commands.get(0).words()).extracting(ShellWords.Word::value)
        .containsExactly("a", "b c", "d\"e", "f g", "h");
    ShellWords.Word quoted = commands.get(0).words().get(1);
    assertThat(text.substring(quoted.start(), quoted.end())).isEqualTo("'b c'");
    assertThat(quoted.quote()).isEqualTo('\'');
    assertThat(commands.get(1).line()).isEqualTo(3);
    assertThat(commands.get(1).words()).extracting(ShellWords.Word::value).containsExactly("next");
    assertThat(commands.get(2).line()).isEqualTo(4);
    assertThat(commands.get(2).words()).extracting(ShellWords.Word::value).containsExactly("other");
  }

  @Test
  void parse_unterminatedQuote_isReported() {
    assertThatThrownBy(() -> ShellWords.parse("ceph config set 'oops\n"))
        .isInstanceOf(ShellWords.UnterminatedQuoteException.class);
  }
}
