package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexTest {
  static final String A = "sha256:" + "a".repeat(64);
  static final String B = "sha256:" + "b".repeat(64);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String INDEX = """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
         "platform":{"architecture":"amd64","os":"linux"}},
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":11,
         "platform":{"architecture":"arm64","os":"linux","variant":"v8","os.features":["x"]}}]}
      """.formatted(A, B);

  @Test
  void parse_multiArch_readsPlatforms() {
    Index i = Index.parse(bytes(INDEX));
    assertThat(i.manifests()).hasSize(2);
    assertThat(i.manifests().get(1).platform())
        .isEqualTo(new Platform("linux", "arm64", "v8", null, List.of("x")));
    assertThat(i.forPlatform(Platform.parse("linux/arm64")).orElseThrow().digest()).isEqualTo(Digest.parse(B));
    assertThat(i.forPlatform(Platform.parse("linux/s390x"))).isEmpty();
    assertThat(i.references()).isEqualTo(i.manifests());
  }

  @Test
  void parse_platformWithoutOs_rejected() {
    String s = INDEX.replace("\"architecture\":\"amd64\",\"os\":\"linux\"", "\"architecture\":\"amd64\"");
    assertThatThrownBy(() -> Index.parse(bytes(s)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("index.manifests[0].platform.os: is required but missing");
  }

  @Test
  void parse_missingManifests_rejected() {
    assertThatThrownBy(() -> Index.parse(bytes("{\"schemaVersion\":2}")))
        .hasMessageStartingWith("index.manifests: is required but missing");
  }

  @Test
  void parse_imageManifestMediaType_rejected() {
    assertThatThrownBy(() -> Index.parse(bytes(INDEX.replace(
        "\"mediaType\":\"application/vnd.oci.image.index.v1+json\"",
        "\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\""))))
        .hasMessageContaining("this is an image manifest, not an index");
  }

  @Test
  void toJson_roundTrip_isStable() {
    Index i = Index.parse(bytes(INDEX));
    byte[] json = i.toJson();
    assertThat(Index.parse(json)).isEqualTo(i);
    assertThat(Index.parse(json).toJson()).isEqualTo(json);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains(
        "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"os.features\":[\"x\"],\"variant\":\"v8\"}");
  }
}
