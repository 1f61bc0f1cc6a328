package dev.refit.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.it.RegistryProbe;
import dev.refit.registry.it.ToolBox;
import dev.refit.registry.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jib-core builds an image on a base held in refit's embedded registry and pushes the result back
 * to it over plain HTTP: the registry must serve jib's base-image pulls, accept its (possibly
 * cross-repository-mounted) blob pushes, and store the manifest under jib's digest.
 */
class JibIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private ToolBox tools;
  private InProcessRegistry registry;

  @BeforeEach
  void setUp() {
    tools = ToolBox.in(tmp.resolve("tools"));
    tools.requireImage(ToolBox.BUSYBOX_IMAGE);
    registry = InProcessRegistry.start(tmp.resolve("root"));
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void containerize_baseInEmbeddedRegistry_pushesManifestWithBaseLayersPlusAppLayer() throws Exception {
    String base = registry.hostPort() + "/refit/base:1";
    String target = registry.hostPort() + "/refit/app:1";
    tools.skopeo("copy", "--src-daemon-host", tools.dockerHost(), "--dest-tls-verify=false",
        "docker-daemon:" + ToolBox.BUSYBOX_IMAGE, "docker://" + base).requireSuccess();
    String nonce = UUID.randomUUID().toString();
    Path appFile = Files.writeString(Files.createDirectories(tmp.resolve("app")).resolve("hello.txt"), nonce);

    JibContainer built = Jib.from(RegistryImage.named(ImageReference.parse(base)))
        .addLayer(List.of(appFile), AbsoluteUnixPath.get("/app"))
        .setEntrypoint("cat", "/app/hello.txt")
        .containerize(Containerizer.to(RegistryImage.named(ImageReference.parse(target)))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(tmp.resolve("jib-cache/base"))
            .setApplicationLayersCache(tmp.resolve("jib-cache/app")));

    RegistryProbe http = RegistryProbe.of(registry.hostPort());
    Digest pushed = Digest.parse(built.getDigest().toString());
    assertThat(http.headManifest("refit/app", "1")).isEqualTo(pushed);
    RegistryProbe.Served manifest = http.getManifest("refit/app", "1");
    assertThat(manifest.computedDigest()).isEqualTo(pushed);

    List<String> baseLayers = layerDigests(http.getManifest("refit/base", "1").body());
    List<String> appLayers = layerDigests(manifest.body());
    assertThat(baseLayers).isNotEmpty();
    assertThat(appLayers).hasSize(baseLayers.size() + 1).startsWith(baseLayers.toArray(String[]::new));
    for (String layer : appLayers) {
      assertThat(http.blobDigest("refit/app", Digest.parse(layer))).hasToString(layer);
    }

    // The engine pulls the result and runs it: the app layer really holds the file.
    String out = tools.docker("run", "--rm", "--network", "none", target).requireSuccess().stdout();
    assertThat(out.strip()).isEqualTo(nonce);
    tools.docker("rmi", target);
  }

  private static List<String> layerDigests(byte[] manifest) throws java.io.IOException {
    List<String> digests = new ArrayList<>();
    for (JsonNode layer : JSON.readTree(manifest).path("layers")) {
      digests.add(layer.path("digest").asText());
    }
    return digests;
  }
}
