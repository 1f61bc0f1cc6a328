package dev.refit.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image) copies images into and out of refit's embedded registry between OCI
 * layouts, docker archives and the registry, and inspects them by tag and by digest; digests must
 * survive every hop unchanged because skopeo copies manifests verbatim when it need not convert.
 */
class SkopeoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private ToolBox tools;
  private InProcessRegistry registry;
  private Path seedLayout;

  @BeforeEach
  void setUp() {
    tools = ToolBox.in(tmp.resolve("tools"));
    tools.requireImage(ToolBox.BUSYBOX_IMAGE);
    registry = InProcessRegistry.start(tmp.resolve("root"));
    // The seed OCI layout comes from the local engine, so its manifest is OCI and its layers are
    // whatever skopeo wrote; the registry must then hand back exactly those bytes.
    seedLayout = tmp.resolve("seed");
    tools.skopeo("copy", "--src-daemon-host", tools.dockerHost(),
        "docker-daemon:" + ToolBox.BUSYBOX_IMAGE, "oci:" + seedLayout + ":seed").requireSuccess();
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void copy_ociLayoutToRegistry_manifestDigestPreserved() throws IOException {
    Digest layoutDigest = layoutManifestDigest(seedLayout);

    pushSeed("refit/skopeo", "v1");

    assertThat(RegistryProbe.of(registry.hostPort()).headManifest("refit/skopeo", "v1")).isEqualTo(layoutDigest);
    RegistryProbe.Served served = RegistryProbe.of(registry.hostPort()).getManifest("refit/skopeo", "v1");
    assertThat(served.computedDigest()).isEqualTo(layoutDigest);
    for (Digest blob : referencedBlobs(served.body())) {
      assertThat(RegistryProbe.of(registry.hostPort()).blobDigest("refit/skopeo", blob)).isEqualTo(blob);
    }
  }

  @Test
  void copy_registryToOciLayout_sameManifestAndIntactBlobs() throws IOException {
    pushSeed("refit/skopeo", "v1");
    Digest served = RegistryProbe.of(registry.hostPort()).headManifest("refit/skopeo", "v1");
    Path out = tmp.resolve("out-oci");

    tools.skopeo("copy", "--src-tls-verify=false", "docker://" + registry.hostPort() + "/refit/skopeo:v1",
        "oci:" + out + ":v1").requireSuccess();

    assertThat(layoutManifestDigest(out)).isEqualTo(served);
    byte[] manifest = Files.readAllBytes(blobPath(out, served));
    assertThat(Digest.sha256(manifest)).isEqualTo(served);
    for (Digest blob : referencedBlobs(manifest)) {
      assertThat(sha256(blobPath(out, blob))).as("blob %s in the layout", blob).isEqualTo(blob);
    }
  }

  @Test
  void copy_registryToDockerArchive_configAndLayersIntact() throws IOException {
    pushSeed("refit/skopeo", "v1");
    JsonNode registryManifest = JSON.readTree(
        RegistryProbe.of(registry.hostPort()).getManifest("refit/skopeo", "v1").body());
    Path archive = tmp.resolve("busybox.tar");

    tools.skopeo("copy", "--src-tls-verify=false", "docker://" + registry.hostPort() + "/refit/skopeo:v1",
        "docker-archive:" + archive + ":refit/skopeo:v1").requireSuccess();

    // docker-archive stores the config under its digest and layers uncompressed, so the config
    // digest and the diff_ids the config names must match what the registry served.
    JsonNode archiveConfig = JSON.readTree(tools.skopeo("inspect", "--config", "docker-archive:" + archive)
        .requireSuccess().stdout());
    byte[] registryConfig = tools.skopeo("inspect", "--tls-verify=false", "--config", "--raw",
        "docker://" + registry.hostPort() + "/refit/skopeo:v1").requireSuccess().stdout()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Digest.sha256(registryConfig).toString())
        .isEqualTo(registryManifest.path("config").path("digest").asText());
    assertThat(archiveConfig.path("rootfs").path("diff_ids"))
        .isEqualTo(JSON.readTree(registryConfig).path("rootfs").path("diff_ids"));
    JsonNode archiveInspect = JSON.readTree(tools.skopeo("inspect", "docker-archive:" + archive)
        .requireSuccess().stdout());
    assertThat(archiveInspect.path("Layers").size()).isEqualTo(registryManifest.path("layers").size());
  }

  @Test
  void inspect_byTagAndByDigest_digestFieldEqualsDockerContentDigest() throws IOException {
    pushSeed("refit/skopeo", "v1");
    Digest served = RegistryProbe.of(registry.hostPort()).headManifest("refit/skopeo", "v1");
    String base = "docker://" + registry.hostPort() + "/refit/skopeo";

    JsonNode byTag = JSON.readTree(tools.skopeo("inspect", "--tls-verify=false", base + ":v1")
        .requireSuccess().stdout());
    JsonNode byDigest = JSON.readTree(tools.skopeo("inspect", "--tls-verify=false", base + "@" + served)
        .requireSuccess().stdout());

    assertThat(byTag.path("Digest").asText()).isEqualTo(served.toString());
    assertThat(byDigest.path("Digest").asText()).isEqualTo(served.toString());
    assertThat(byTag.path("Layers")).isEqualTo(byDigest.path("Layers"));
    assertThat(byTag.path("Architecture").asText()).isEqualTo("amd64");
  }

  @Test
  void inspect_unknownTag_fails() {
    pushSeed("refit/skopeo", "v1");

    ExternalCommand.Result r = tools.skopeo("inspect", "--tls-verify=false",
        "docker://" + registry.hostPort() + "/refit/skopeo:no-such-tag");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).containsIgnoringCase("manifest unknown");
  }

  private void pushSeed(String repository, String tag) {
    tools.skopeo("copy", "--dest-tls-verify=false", "oci:" + seedLayout + ":seed",
        "docker://" + registry.hostPort() + "/" + repository + ":" + tag).requireSuccess();
  }

  private static Digest layoutManifestDigest(Path layout) throws IOException {
    JsonNode manifests = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests");
    assertThat(manifests.size()).as("manifests in %s/index.json", layout).isEqualTo(1);
    return Digest.parse(manifests.get(0).path("digest").asText());
  }

  private static List<Digest> referencedBlobs(byte[] manifest) throws IOException {
    JsonNode m = JSON.readTree(manifest);
    List<Digest> blobs = new ArrayList<>();
    blobs.add(Digest.parse(m.path("config").path("digest").asText()));
    for (JsonNode layer : m.path("layers")) {
      blobs.add(Digest.parse(layer.path("digest").asText()));
    }
    return blobs;
  }

  private static Path blobPath(Path layout, Digest digest) {
    return layout.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  private static Digest sha256(Path file) throws IOException {
    MessageDigest sha = Digest.Algorithm.SHA256.newHasher();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return Digest.of(Digest.Algorithm.SHA256, sha.digest());
  }
}
