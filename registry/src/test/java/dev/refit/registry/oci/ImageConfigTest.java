package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static final String CONFIG = """
      {"architecture":"amd64","os":"linux","created":"2024-05-01T10:00:00Z",
       "config":{"Env":["PATH=/usr/bin"],"Cmd":["sh"],"Labels":{"a":"b"},"ExposedPorts":{"80/tcp":{}},
                 "Healthcheck":{"Test":["CMD","true"]}},
       "rootfs":{"type":"layers","diff_ids":["%s"]},
       "history":[{"created":"2024-05-01T10:00:00Z","created_by":"ADD x /"},
                  {"created_by":"CMD [\\"sh\\"]","empty_layer":true}]}
      """.formatted(D1);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_readsFields() {
    ImageConfig c = ImageConfig.parse(bytes(CONFIG));
    assertThat(c.platform()).isEqualTo(Platform.of("linux", "amd64"));
    assertThat(c.config().env()).containsExactly("PATH=/usr/bin");
    assertThat(c.config().cmd()).containsExactly("sh");
    assertThat(c.config().entrypoint()).isNull();
    assertThat(c.config().labels()).containsEntry("a", "b");
    assertThat(c.config().exposedPorts()).containsExactly("80/tcp");
    assertThat(c.diffIds()).containsExactly(Digest.parse(D1));
    assertThat(c.history()).hasSize(2);
    assertThat(c.history().get(1).emptyLayer()).isTrue();
    assertThat(c.layerHistoryCount()).isEqualTo(1);
  }

  @Test
  void withAppendedLayer_addsDiffIdAndHistory_keepsUnknownFields() {
    ImageConfig c = ImageConfig.parse(bytes(CONFIG))
        .withAppendedLayer(Digest.parse(D2), new ImageConfig.History(null, "refit patch", null, null, false))
        .withLabels(Map.of("refit.patched", "true"));
    ImageConfig back = ImageConfig.parse(c.toJson());
    assertThat(back.diffIds()).containsExactly(Digest.parse(D1), Digest.parse(D2));
    assertThat(back.layerHistoryCount()).isEqualTo(2);
    assertThat(back.config().labels()).containsOnly(Map.entry("a", "b"), Map.entry("refit.patched", "true"));
    assertThat(new String(c.toJson(), StandardCharsets.UTF_8)).contains("\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}");
    // the original is unchanged
    assertThat(ImageConfig.parse(bytes(CONFIG)).diffIds()).hasSize(1);
  }

  @Test
  void parse_missingRootfs_rejected() {
    assertThatThrownBy(() -> ImageConfig.parse(bytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}")))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessage("config.rootfs: is required but missing");
  }

  @Test
  void parse_badDiffId_namesIndex() {
    assertThatThrownBy(() -> ImageConfig.parse(bytes(CONFIG.replace(D1, "sha256:nothex"))))
        .hasMessageStartingWith("config.rootfs.diff_ids[0]: malformed sha256 digest");
  }

  @Test
  void parse_invalidJson_reportsPosition() {
    assertThatThrownBy(() -> ImageConfig.parse(bytes("{\"os\": }")))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessageStartingWith("image config is not valid JSON at line 1 column 8");
  }
}
