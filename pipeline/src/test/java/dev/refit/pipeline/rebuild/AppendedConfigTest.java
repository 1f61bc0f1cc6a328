package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.InvalidImageConfigException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppendedConfigTest {
  static final Digest BASE_LAYER = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
  static final Digest NEW_LAYER = Digest.sha256("delta".getBytes(StandardCharsets.UTF_8));

  /** A Docker-written config: unknown fields, a key order of its own, no trailing newline. */
  static final String BASE =
      "{\"architecture\":\"amd64\",\"config\":{\"Hostname\":\"\",\"User\":\"nova\","
          + "\"Labels\":{\"name\":\"nova-api\",\"dev.refit.builder\":\"old\"},"
          + "\"Healthcheck\":{\"Test\":[\"CMD\",\"healthcheck_curl\"]}},"
          + "\"container_config\":{\"Cmd\":[\"/bin/sh\"]},\"created\":\"2024-01-02T03:04:05.123456789Z\","
          + "\"docker_version\":\"24.0.7\",\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"base\"}],"
          + "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_LAYER + "\"]}}";

  @Test
  void of_dockerConfig_appendsLayerHistoryAndLabels_keepingEverythingElseInPlace() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("dev.refit.builder", "daemonless");
    labels.put("dev.refit.build-key", "sha256:k");

    byte[] out = AppendedConfig.of(bytes(BASE), List.of(NEW_LAYER), "refit 1.0 (daemonless)", labels);

    String expected = BASE
        .replace("\"dev.refit.builder\":\"old\"", "\"dev.refit.builder\":\"daemonless\",\"dev.refit.build-key\":\"sha256:k\"")
        .replace("2024-01-02T03:04:05.123456789Z", "1970-01-01T00:00:00Z")
        .replace("\"created_by\":\"base\"}]", "\"created_by\":\"base\"},"
            + "{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"refit 1.0 (daemonless)\"}]")
        .replace(BASE_LAYER + "\"]", BASE_LAYER + "\",\"" + NEW_LAYER + "\"]");
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(expected);
    ImageConfig config = ImageConfig.parse(out);
    assertThat(config.diffIds()).containsExactly(BASE_LAYER, NEW_LAYER);
    assertThat(config.layerHistoryCount()).isEqualTo(2);
    // Reproducible: the same inputs, the same bytes.
    assertThat(AppendedConfig.of(bytes(BASE), List.of(NEW_LAYER), "refit 1.0 (daemonless)", labels))
        .isEqualTo(out);
  }

  @Test
  void of_configWithoutLabelsOrHistory_getsLabelsAndNoPartialHistory() {
    String bare = "{\"os\":\"linux\",\"architecture\":\"arm64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + BASE_LAYER + "\"]}}";

    ImageConfig config = ImageConfig.parse(
        AppendedConfig.of(bytes(bare), List.of(NEW_LAYER), "refit", Map.of("k", "v")));

    assertThat(config.config().labels()).containsExactly(Map.entry("k", "v"));
    assertThat(config.history()).isEmpty();
    assertThat(config.created()).isEqualTo(AppendedConfig.CREATED);
  }

  @Test
  void of_noNewLayer_onlyLabelsAndCreatedChange() {
    ImageConfig config = ImageConfig.parse(AppendedConfig.of(bytes(BASE), List.of(), "refit", Map.of("k", "v")));
    assertThat(config.diffIds()).containsExactly(BASE_LAYER);
    assertThat(config.history()).hasSize(1);
    assertThat(config.config().labels()).containsEntry("k", "v").containsEntry("name", "nova-api");
  }

  @Test
  void of_malformedBase_failsNamingTheField() {
    assertThatThrownBy(() -> AppendedConfig.of(bytes("{\"os\":\"linux\"}"), List.of(NEW_LAYER), "refit", Map.of()))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessageContaining("architecture");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
