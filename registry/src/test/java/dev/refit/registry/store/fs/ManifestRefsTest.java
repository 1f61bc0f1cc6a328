package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestRefsTest {
  private static final Digest A = Digest.sha256(new byte[] {1});
  private static final Digest B = Digest.sha256(new byte[] {2});
  private static final Digest C = Digest.sha256(new byte[] {3});

  private static ManifestRefs parse(String json) {
    return ManifestRefs.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_imageManifest_configLayersSubjectAndArtifactTypeFromConfig() {
    ManifestRefs refs =
        parse(
            "{\"config\":{\"mediaType\":\"application/x.cfg\",\"digest\":\"" + A + "\"},"
                + "\"layers\":[{\"digest\":\"" + B + "\"}],"
                + "\"subject\":{\"digest\":\"" + C + "\"},\"annotations\":{\"k\":\"v\",\"n\":1}}");

    assertThat(refs.config()).isEqualTo(A);
    assertThat(refs.layers()).containsExactly(B);
    assertThat(refs.subject()).isEqualTo(C);
    assertThat(refs.artifactType()).isEqualTo("application/x.cfg");
    assertThat(refs.annotations()).containsOnlyKeys("k");
    assertThat(refs.all()).containsExactly(A, B);
  }

  @Test
  void parse_index_childrenAndExplicitArtifactType() {
    ManifestRefs refs =
        parse(
            "{\"artifactType\":\"application/x.art\",\"manifests\":[{\"digest\":\"" + A
                + "\"},{\"digest\":\"" + B + "\"}]}");

    assertThat(refs.children()).containsExactly(A, B);
    assertThat(refs.config()).isNull();
    assertThat(refs.artifactType()).isEqualTo("application/x.art");
    assertThat(refs.all()).containsExactly(A, B);
  }

  @Test
  void parse_garbageOrBadDigests_referencesNothing() {
    assertThat(parse("not json")).isEqualTo(ManifestRefs.NONE);
    assertThat(parse("[1,2]")).isEqualTo(ManifestRefs.NONE);
    ManifestRefs refs = parse("{\"layers\":[{\"digest\":\"sha256:nothex\"},{\"digest\":5}]}");
    assertThat(refs.all()).isEqualTo(List.of());
  }
}
