package dev.refit.pipeline.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal renderer drawn into a byte buffer standing for an 80-column terminal. */
class TtyRendererTest {
  private static final int WIDTH = 80;

  /** What the terminal shows line by line: cursor moves and colours dropped, \r starts over. */
  private static List<String> screenLines(ByteArrayOutputStream raw) {
    String text = raw.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
    return Arrays.stream(text.split("[\r\n]")).filter(l -> !l.isBlank()).toList();
  }

  private static String lastLineOf(List<String> lines, String service) {
    return lines.stream().filter(l -> l.startsWith(service)).reduce((a, b) -> b).orElseThrow(
        () -> new AssertionError("no bar for " + service + " in " + lines));
  }

  @Test
  void render_twoImages_drawsABarEachEndingInItsAction() {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (TtyRenderer tty = new TtyRenderer(new PrintStream(raw, true, StandardCharsets.UTF_8), WIDTH)) {
      tty.render(JobEvents.queued("nova-api", "up/nova-api:1"));
      tty.render(JobEvents.queued("neutron-server", "up/neutron-server:1"));
      tty.render(JobEvents.progress("nova-api", "fetch", "fetched", 4096L));
      tty.render(JobEvents.progress("neutron-server", "fetch", "cached", null));
      tty.render(JobEvents.progress("nova-api", "rebuild", "daemonless", null));
      tty.render(new JsonObject().put("type", "result").put("service", "nova-api")
          .put("action", "patched"));
      tty.render(new JsonObject().put("type", "failure").put("service", "neutron-server")
          .put("action", "failed").put("reason", "hunk 1 of rpc.py failed"));
      tty.render(JobEvents.done(1));
    }

    List<String> lines = screenLines(raw);
    assertThat(lastLineOf(lines, "nova-api")).contains("100%").contains("patched");
    assertThat(lastLineOf(lines, "neutron-server")).contains("100%")
        .contains("failed: hunk 1 of rpc.py failed");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(WIDTH));
  }

  @Test
  void render_unfinishedImage_closesWithItsLastStage() {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (TtyRenderer tty = new TtyRenderer(new PrintStream(raw, true, StandardCharsets.UTF_8), WIDTH)) {
      tty.render(JobEvents.queued("glance-api", "up/glance-api:1"));
      tty.render(JobEvents.progress("glance-api", "patch", "2 patch(es)", null));
      tty.render(JobEvents.queued("keystone", "up/keystone:1"));
      tty.render(JobEvents.progress("keystone", "push", "3f2a: Pushed", null));
    }

    List<String> lines = screenLines(raw);
    assertThat(lastLineOf(lines, "glance-api")).contains("3/6").contains("patch 2 patch(es)");
    assertThat(lastLineOf(lines, "keystone")).contains("5/6").doesNotContain("100%");
  }

  @Test
  void message_bytesFromFetchAndEngine_inBinaryUnits() {
    assertThat(TtyRenderer.message("fetch", JobEvents.progress("a", "fetch", "fetched", 1536L)))
        .isEqualTo("fetch fetched 1.5 KiB");
    assertThat(TtyRenderer.message("push", new JsonObject().put("type", "progress")
        .put("line", "3f2a: Pushing 1048576/3145728 bytes")))
        .isEqualTo("push 3f2a: Pushing 1.0 MiB/3.0 MiB");
    assertThat(TtyRenderer.human(512)).isEqualTo("512 B");
  }
}
