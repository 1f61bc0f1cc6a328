package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
  static final String CONFIG = "sha256:" + "a".repeat(64);
  static final String LAYER = "sha256:" + "b".repeat(64);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String manifest(String configDigest, String layersJson) {
    return """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7},
         "layers":%s}""".formatted(configDigest, layersJson);
  }

  static String layer(String digest, String size) {
    return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest
        + "\",\"size\":" + size + "}";
  }

  @Test
  void parse_minimalOci_readsConfigAndLayers() {
    Manifest m = Manifest.parse(bytes(manifest(CONFIG, "[" + layer(LAYER, "42") + "]")));
    assertThat(m.schemaVersion()).isEqualTo(2);
    assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(m.config().digest()).isEqualTo(Digest.parse(CONFIG));
    assertThat(m.config().size()).isEqualTo(7);
    assertThat(m.layers()).singleElement()
        .satisfies(d -> assertThat(d.size()).isEqualTo(42))
        .satisfies(d -> assertThat(d.mediaType()).isEqualTo(MediaType.OCI_LAYER_GZIP));
    assertThat(m.references()).extracting(Descriptor::digest)
        .containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER));
    assertThat(m.subject()).isNull();
    assertThat(m.annotations()).isEmpty();
  }

  @Test
  void parse_urlsAndUnknownFields_tolerated() {
    String l = "{\"mediaType\":\"" + MediaType.DOCKER_FOREIGN_LAYER_GZIP + "\",\"digest\":\"" + LAYER
        + "\",\"size\":5,\"urls\":[\"https://example.com/l\"],\"x-future\":{\"a\":1}}";
    Manifest m = Manifest.parse(bytes(manifest(CONFIG, "[" + l + "]")));
    assertThat(m.layers().get(0).mediaType()).isEqualTo(MediaType.DOCKER_FOREIGN_LAYER_GZIP);
  }

  @Test
  void parse_malformedJson_reportsLineAndColumn() {
    assertThatThrownBy(() -> Manifest.parse(bytes("{\n  \"schemaVersion\": 2,\n  \"config\": {,\n}")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("manifest is not valid JSON at line 3 column 14");
  }

  @Test
  void parse_trailingGarbage_rejected() {
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[]") + " {}")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void parse_duplicateKey_rejected() {
    String dup = manifest(CONFIG, "[]").replace("\"schemaVersion\":2,", "\"schemaVersion\":2,\"schemaVersion\":2,");
    assertThatThrownBy(() -> Manifest.parse(bytes(dup)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("Duplicate field 'schemaVersion'");
  }

  @Test
  void parse_emptyOrNonObject_rejected() {
    assertThatThrownBy(() -> Manifest.parse(new byte[0])).hasMessage("manifest is empty: expected a JSON object");
    assertThatThrownBy(() -> Manifest.parse(bytes("[1]"))).hasMessage("manifest must be a JSON object, got array");
  }

  @Test
  void parse_wrongSchemaVersion_rejected() {
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[]").replace("\"schemaVersion\":2", "\"schemaVersion\":3"))))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("manifest.schemaVersion must be 2, got 3");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[]").replace("\"schemaVersion\":2", "\"schemaVersion\":1"))))
        .hasMessageContaining("schema 1");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[]").replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\""))))
        .hasMessageStartingWith("manifest.schemaVersion: must be an integer");
  }

  @Test
  void parse_missingConfigOrLayers_rejected() {
    assertThatThrownBy(() -> Manifest.parse(bytes("{\"schemaVersion\":2,\"layers\":[]}")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("manifest.config: is required but missing");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "null"))))
        .hasMessageStartingWith("manifest.layers: is required but missing");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "{}"))))
        .hasMessage("manifest.layers: must be an array, got object");
  }

  @Test
  void parse_invalidDigest_namesTheField() {
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[" + layer(LAYER, "1") + "," + layer("sha256:XYZ", "1") + "]"))))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("manifest.layers[1].digest: malformed sha256 digest");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest("md5:abc", "[]"))))
        .hasMessageStartingWith("manifest.config.digest: unsupported digest algorithm 'md5'");
  }

  @Test
  void parse_badSize_rejected() {
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[" + layer(LAYER, "-1") + "]"))))
        .hasMessage("manifest.layers[0].size: must be >= 0, got -1");
    assertThatThrownBy(() -> Manifest.parse(bytes(manifest(CONFIG, "[" + layer(LAYER, "1.5") + "]"))))
        .hasMessageStartingWith("manifest.layers[0].size: must be an integer byte count");
  }

  @Test
  void parse_indexMediaType_rejectedAsNotAManifest() {
    String s = manifest(CONFIG, "[]").replace(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX);
    assertThatThrownBy(() -> Manifest.parse(bytes(s))).hasMessageContaining("this is an index");
  }

  @Test
  void toJson_parsesBackToEqualManifest_withStableBytes() {
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, Digest.parse(CONFIG), 7);
    Descriptor l1 = Descriptor.of(MediaType.OCI_LAYER, Digest.parse(LAYER), 3)
        .withAnnotations(Map.of("z", "1", "a", "2", "m", "3"));
    Manifest m = Manifest.of(config, List.of(l1))
        .withAnnotations(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z", "b", "c"))
        .withSubject(Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse(LAYER), 9));
    byte[] json = m.toJson();
    assertThat(Manifest.parse(json)).isEqualTo(m);
    assertThat(new String(json, StandardCharsets.UTF_8)).startsWith(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{")
        .contains("\"annotations\":{\"a\":\"2\",\"m\":\"3\",\"z\":\"1\"}");
    assertThat(m.toRaw().digest()).isEqualTo(Digest.sha256(json));
    // Rebuilding from equal content gives identical bytes regardless of map iteration order.
    assertThat(Manifest.parse(json).toJson()).isEqualTo(json);
  }
}
