package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestContentTest {
  static final String D = "sha256:" + "c".repeat(64);
  static final String DESC = "{\"mediaType\":\"x\",\"digest\":\"" + D + "\",\"size\":1}";
  static final byte[] NO_TYPE_MANIFEST =
      ("{\"schemaVersion\":2,\"config\":" + DESC + ",\"layers\":[" + DESC + "]}").getBytes(StandardCharsets.UTF_8);
  static final byte[] NO_TYPE_INDEX =
      ("{\"schemaVersion\":2,\"manifests\":[" + DESC + "]}").getBytes(StandardCharsets.UTF_8);

  @Test
  void parse_byShape_whenNoTypeGiven() {
    assertThat(ManifestContent.parse(NO_TYPE_MANIFEST, null)).isInstanceOf(Manifest.class);
    assertThat(ManifestContent.parse(NO_TYPE_INDEX, null)).isInstanceOf(Index.class);
  }

  @Test
  void parse_byHeader_whenFieldAbsent_headerParametersIgnored() {
    assertThat(ManifestContent.parse(NO_TYPE_INDEX, "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8"))
        .isInstanceOf(Index.class);
    // The header says index, the body is a manifest: reported as a missing 'manifests'.
    assertThatThrownBy(() -> ManifestContent.parse(NO_TYPE_MANIFEST, MediaType.OCI_INDEX))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("manifest.manifests: is required but missing");
  }

  @Test
  void parse_fieldAndHeaderDisagree_rejected() {
    byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":" + DESC
        + ",\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    assertThat(ManifestContent.parse(m, MediaType.OCI_MANIFEST)).isInstanceOf(Manifest.class);
    assertThat(ManifestContent.parse(m, "application/json")).isInstanceOf(Manifest.class);
    assertThatThrownBy(() -> ManifestContent.parse(m, MediaType.DOCKER_MANIFEST))
        .hasMessageContaining("does not match Content-Type");
  }

  @Test
  void parse_unknownMediaTypeField_rejected() {
    byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ManifestContent.parse(m, null))
        .hasMessageStartingWith("unsupported manifest mediaType 'application/vnd.oci.artifact.manifest.v1+json'");
  }

  @Test
  void parse_unrecognisableShape_rejected() {
    assertThatThrownBy(() -> ManifestContent.parse("{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8), null))
        .hasMessageContaining("neither an image manifest nor an index");
  }
}
