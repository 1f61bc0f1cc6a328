package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parses the golden fixtures (see src/test/resources/golden/README.md) and checks raw bytes. */
class GoldenManifestTest {

  static byte[] golden(String name) {
    try (InputStream in = GoldenManifestTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden fixture %s on the test classpath", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sha256 computed here with the JDK directly, independent of {@link Digest}. */
  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "docker-v2s2-manifest.json, application/vnd.docker.distribution.manifest.v2+json, Manifest",
      "oci-image-manifest.json, application/vnd.oci.image.manifest.v1+json, Manifest",
      "oci-artifact-manifest.json, application/vnd.oci.image.manifest.v1+json, Manifest",
      "docker-manifest-list.json, application/vnd.docker.distribution.manifest.list.v2+json, Index",
      "oci-image-index.json, application/vnd.oci.image.index.v1+json, Index"})
  void golden_parsesAndKeepsExactBytes(String file, String mediaType, String kind) {
    byte[] bytes = golden(file);
    ManifestContent content = ManifestContent.parse(bytes, null);
    assertThat(content.getClass().getSimpleName()).isEqualTo(kind);
    assertThat(content.mediaType()).isEqualTo(mediaType);
    // the header path must pick the same kind
    assertThat(ManifestContent.parse(bytes, mediaType)).isEqualTo(content);

    RawManifest raw = RawManifest.of(bytes, content.mediaType());
    assertThat(raw.bytes()).isEqualTo(bytes);
    assertThat(raw.digest().toString()).isEqualTo(sha256(bytes));
    assertThat(raw.size()).isEqualTo(bytes.length);
    RawManifest again = RawManifest.verified(raw.bytes(), mediaType, Digest.parse(sha256(bytes)));
    assertThat(again).isEqualTo(raw);
    assertThat(again.digest()).isEqualTo(raw.digest());
  }

  @Test
  void verified_oneWhitespaceByteChanged_failsWithDigestMismatch() {
    byte[] bytes = golden("docker-v2s2-manifest.json");
    Digest original = Digest.parse(sha256(bytes));
    byte[] changed = new String(bytes, StandardCharsets.UTF_8).replaceFirst("\n   ", "\n  ")
        .getBytes(StandardCharsets.UTF_8);
    // still the same manifest content, but not the same bytes
    assertThat(Manifest.parse(changed)).isEqualTo(Manifest.parse(bytes));
    assertThatThrownBy(() -> RawManifest.verified(changed, MediaType.DOCKER_MANIFEST, original))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(original.toString());
  }

  @Test
  void dockerManifest_configIsGoldenConfig_andLayersMatchDiffIds() {
    Manifest m = Manifest.parse(golden("docker-v2s2-manifest.json"));
    byte[] configBytes = golden("image-config.json");
    assertThat(m.isDocker()).isTrue();
    assertThat(m.config().mediaType()).isEqualTo(MediaType.DOCKER_CONFIG);
    assertThat(m.config().digest().toString()).isEqualTo(sha256(configBytes));
    assertThat(m.config().size()).isEqualTo(configBytes.length);
    assertThat(m.layers()).extracting(Descriptor::size).containsExactly(29125419L, 41387342L, 628L);
    assertThat(m.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaType.DOCKER_LAYER_GZIP));
    ImageConfig config = ImageConfig.parse(configBytes);
    assertThat(config.diffIds()).hasSameSizeAs(m.layers());
    assertThat(config.layerHistoryCount()).isEqualTo(m.layers().size());
  }

  @Test
  void ociManifest_isSkopeoConversionOfDockerManifest() {
    Manifest docker = Manifest.parse(golden("docker-v2s2-manifest.json"));
    Manifest oci = Manifest.parse(golden("oci-image-manifest.json"));
    assertThat(oci.isDocker()).isFalse();
    assertThat(oci.config().digest()).isEqualTo(docker.config().digest());
    assertThat(oci.config().mediaType()).isEqualTo(MediaType.OCI_CONFIG);
    assertThat(oci.layers()).extracting(Descriptor::digest)
        .containsExactlyElementsOf(docker.layers().stream().map(Descriptor::digest).toList());
    assertThat(oci.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaType.OCI_LAYER_GZIP));
    assertThat(oci.annotations())
        .containsEntry("org.opencontainers.image.base.name", "docker.io/library/debian:bookworm-slim");
    assertThat(oci.artifactType()).isNull();
    assertThat(oci.effectiveArtifactType()).isEqualTo(MediaType.OCI_CONFIG);
  }

  @Test
  void dockerManifestList_platforms() {
    Index list = Index.parse(golden("docker-manifest-list.json"));
    assertThat(list.manifests()).hasSize(8);
    assertThat(list.manifests().get(0).digest().toString()).isEqualTo(sha256(golden("docker-v2s2-manifest.json")));
    assertThat(list.manifests().get(0).size()).isEqualTo(golden("docker-v2s2-manifest.json").length);
    assertThat(list.manifests()).extracting(d -> d.platform().toString()).containsExactly(
        "linux/amd64", "linux/arm/v5", "linux/arm/v7", "linux/arm64/v8", "linux/386", "linux/ppc64le",
        "linux/s390x", "windows/amd64");
    assertThat(list.manifests().get(7).platform().osVersion()).isEqualTo("10.0.17763.5329");
    assertThat(list.forPlatform(Platform.parse("linux/arm/v7")).orElseThrow())
        .isSameAs(list.manifests().get(2));
  }

  @Test
  void ociIndex_attestationsAndAnnotations() {
    byte[] bytes = golden("oci-image-index.json");
    Index index = Index.parse(bytes);
    List<Descriptor> m = index.manifests();
    assertThat(m).hasSize(4);
    assertThat(m.get(0).digest().toString()).isEqualTo(sha256(golden("oci-image-manifest.json")));
    assertThat(m.get(1).platform()).isEqualTo(new Platform("linux", "arm64", "v8", null, List.of()));
    assertThat(m.get(2).platform()).isEqualTo(Platform.of("unknown", "unknown"));
    assertThat(m.get(2).annotations()).containsOnly(
        Map.entry("vnd.docker.reference.digest", m.get(0).digest().toString()),
        Map.entry("vnd.docker.reference.type", "attestation-manifest"));
    assertThat(m.get(3).annotations()).containsEntry("vnd.docker.reference.digest", m.get(1).digest().toString());
    assertThat(index.annotations())
        .containsEntry("org.opencontainers.image.description", "Démo image für refit — ünïcödé")
        .containsEntry("org.opencontainers.image.created", "2024-01-11T21:35:02Z");
    // Re-serialising gives equal content but different bytes: why digests use the raw bytes only.
    byte[] rewritten = index.toJson();
    assertThat(Index.parse(rewritten)).isEqualTo(index);
    assertThat(sha256(rewritten)).isNotEqualTo(sha256(bytes));
    assertThat(new String(bytes, StandardCharsets.UTF_8)).endsWith("}\n");
  }

  @Test
  void artifactManifest_subjectAndArtifactType() {
    Manifest a = Manifest.parse(golden("oci-artifact-manifest.json"));
    byte[] subject = golden("oci-image-manifest.json");
    assertThat(a.artifactType()).isEqualTo("application/vnd.cncf.notary.signature");
    assertThat(a.effectiveArtifactType()).isEqualTo("application/vnd.cncf.notary.signature");
    assertThat(a.config().mediaType()).isEqualTo(MediaType.OCI_EMPTY);
    // OCI image-spec manifest.md "Guidance for an Empty Descriptor": the digest of "{}".
    assertThat(a.config().digest().toString()).isEqualTo(sha256("{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(a.config().size()).isEqualTo(2);
    assertThat(a.subject().digest().toString()).isEqualTo(sha256(subject));
    assertThat(a.subject().size()).isEqualTo(subject.length);
    assertThat(a.subject().mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(a.layers()).singleElement().satisfies(l -> assertThat(l.mediaType()).isEqualTo("application/jose+json"));
    assertThat(a.annotations()).containsKey("io.cncf.notary.x509chain.thumbprint#S256");
  }

  @Test
  void imageConfig_fields() {
    ImageConfig c = ImageConfig.parse(golden("image-config.json"));
    assertThat(c.platform()).isEqualTo(Platform.of("linux", "amd64"));
    assertThat(c.created()).isEqualTo("2024-01-11T21:34:19.567832175Z");
    assertThat(c.config().env()).containsExactly(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.25.3",
        "PKG_RELEASE=1~bookworm");
    assertThat(c.config().entrypoint()).containsExactly("/docker-entrypoint.sh");
    assertThat(c.config().cmd()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(c.config().user()).isEqualTo("101");
    assertThat(c.config().workingDir()).isEmpty();
    assertThat(c.config().stopSignal()).isEqualTo("SIGQUIT");
    assertThat(c.config().exposedPorts()).containsExactly("80/tcp");
    assertThat(c.config().volumes()).isEmpty();
    // Go escaped <> as \u003c \u003e in the file; the parsed label has the real characters.
    assertThat(c.config().labels())
        .containsEntry("maintainer", "NGINX Docker Maintainers <docker-maint@nginx.com>");
    assertThat(c.history()).hasSize(12);
    assertThat(c.history().get(5).createdBy()).startsWith("/bin/sh -c set -x");
    assertThat(c.diffIds()).hasSize(3);
  }
}
