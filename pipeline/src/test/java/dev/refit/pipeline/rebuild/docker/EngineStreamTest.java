package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's progress items, as Engine 20.10 sends them (JSON lines of POST /build and
 * POST /images/{name}/push), read into docker-java's items and through {@link EngineStream}.
 */
class EngineStreamTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final List<String> lines = new ArrayList<>();

  private <T extends com.github.dockerjava.api.model.ResponseItem> EngineStream<T> feed(
      Class<T> type, ProgressListener.Phase phase, String... json) throws Exception {
    EngineStream<T> stream = new EngineStream<>("nova-api", phase, (s, p, l) -> lines.add(s + " " + p + " " + l));
    for (String j : json) {
      stream.onNext(JSON.readValue(j, type));
    }
    return stream;
  }

  @Test
  void push_errorItemInSuccessfulStream_isCollectedAndForwarded() throws Exception {
    EngineStream<PushResponseItem> s = feed(PushResponseItem.class, ProgressListener.Phase.PUSH,
        "{\"status\":\"The push refers to repository [127.0.0.1:1/refit/nowhere]\"}",
        "{\"status\":\"Preparing\",\"progressDetail\":{},\"id\":\"0a1b2c3d4e5f\"}",
        "{\"errorDetail\":{\"message\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp 127.0.0.1:1: connect: connection refused\"},"
            + "\"error\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp 127.0.0.1:1: connect: connection refused\"}");

    assertThat(s.errors()).containsExactly(
        "Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused");
    assertThat(s.digest()).isNull();
    assertThat(lines).containsExactly(
        "nova-api PUSH The push refers to repository [127.0.0.1:1/refit/nowhere]",
        "nova-api PUSH 0a1b2c3d4e5f: Preparing",
        "nova-api PUSH error: Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused");
  }

  @Test
  void push_progressAndAuxDigest_reportBytesAndDigest() throws Exception {
    String digest = "sha256:" + "ab".repeat(32);
    EngineStream<PushResponseItem> s = feed(PushResponseItem.class, ProgressListener.Phase.PUSH,
        "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":512,\"total\":2048},\"progress\":\"[=>  ]\",\"id\":\"0a1b2c3d4e5f\"}",
        "{\"status\":\"apex: digest: " + digest + " size: 734\"}",
        "{\"progressDetail\":{},\"aux\":{\"Tag\":\"apex\",\"Digest\":\"" + digest + "\",\"Size\":734}}");

    assertThat(s.errors()).isEmpty();
    assertThat(s.digest()).isEqualTo(digest);
    assertThat(lines).containsExactly(
        "nova-api PUSH 0a1b2c3d4e5f: Pushing 512/2048 bytes",
        "nova-api PUSH apex: digest: " + digest + " size: 734",
        "nova-api PUSH digest: " + digest);
  }

  @Test
  void build_streamLinesAndSuccess_giveLinesAndImageId() throws Exception {
    EngineStream<BuildResponseItem> s = feed(BuildResponseItem.class, ProgressListener.Phase.BUILD,
        "{\"stream\":\"Step 1/4 : FROM 127.0.0.1:1/a@sha256:00\"}",
        "{\"stream\":\"\\n\"}",
        "{\"aux\":{\"ID\":\"sha256:" + "cd".repeat(32) + "\"}}",
        "{\"stream\":\"Successfully built cdcdcdcdcdcd\\n\"}");

    assertThat(s.errors()).isEmpty();
    assertThat(s.imageId()).isNotNull();
    assertThat(lines).startsWith("nova-api BUILD Step 1/4 : FROM 127.0.0.1:1/a@sha256:00")
        .doesNotContain("nova-api BUILD ");
  }

  @Test
  void build_errorDetail_isCollected() throws Exception {
    EngineStream<BuildResponseItem> s = feed(BuildResponseItem.class, ProgressListener.Phase.BUILD,
        "{\"stream\":\"Step 1/8 : FROM 127.0.0.1:1/a@sha256:00\"}",
        "{\"stream\":\" ---\\u003e 0123456789ab\\n\"}",
        "{\"stream\":\"Step 2/8 : USER root\"}",
        "{\"stream\":\" ---\\u003e Running in 99aa99aa99aa\\n\"}",
        "{\"stream\":\" ---\\u003e ba9876543210\\n\"}",
        "{\"stream\":\"Step 3/8 : RUN rm -rf -- '/bin/vi'\"}",
        "{\"errorDetail\":{\"code\":127,\"message\":\"The command '/bin/sh -c rm' returned a non-zero code: 127\"},"
            + "\"error\":\"The command '/bin/sh -c rm' returned a non-zero code: 127\"}");

    assertThat(s.errors()).containsExactly("The command '/bin/sh -c rm' returned a non-zero code: 127");
    assertThat(s.imageId()).isNull();
    assertThat(s.steps()).containsExactly("0123456789ab", "ba9876543210");
  }
}
