package dev.refit.pipeline.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON lines: one parseable object per line, in the order rendered, nothing dropped. */
class JsonLinesRendererTest {

  @Test
  void render_events_oneJsonObjectPerLineInOrder() {
    List<JsonObject> events = List.of(JobEvents.queued("nova-api", "up/nova-api:1"),
        JobEvents.progress("nova-api", "fetch", "fetched", 2048L),
        new JsonObject().put("type", "result").put("service", "nova-api").put("action", "patched")
            .put("reason", "line one\nline two"),
        JobEvents.done(0));
    StringWriter out = new StringWriter();

    try (JsonLinesRenderer json = new JsonLinesRenderer(new PrintWriter(out))) {
      events.forEach(json::render);
    }

    List<JsonObject> back = out.toString().lines().map(JsonObject::new).toList();
    assertThat(back).isEqualTo(events);
    assertThat(back.get(1).getLong("bytes")).isEqualTo(2048L);
    assertThat(JobEvents.isFinal(back.get(2))).isTrue();
  }

  @Test
  void stageIndex_dockerPhases_mapToRebuildAndPublish() {
    assertThat(JobEvents.stageIndex("build")).isEqualTo(JobEvents.STAGES.indexOf("rebuild"));
    assertThat(JobEvents.stageIndex("PUSH")).isEqualTo(JobEvents.STAGES.indexOf("publish"));
    assertThat(JobEvents.stageIndex("fetch")).isZero();
  }
}
