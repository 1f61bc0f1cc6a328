package dev.refit.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker CLI (engine 20.10) pushes to and pulls from refit's embedded registry; docker
 * treats 127.0.0.0/8 registries as insecure-allowed, so plain HTTP works without daemon config.
 */
class DockerCliIT {
  private static final Pattern PUSH_DIGEST = Pattern.compile("digest: (sha256:[a-f0-9]{64}) size: \\d+");

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
  void pushRmiPull_busyboxBase_digestsAgreeAndImageRuns() {
    String repo = "refit/busybox";
    String image = registry.hostPort() + "/" + repo + ":it";
    tools.docker("tag", ToolBox.BUSYBOX_IMAGE, image).requireSuccess();

    Digest pushed = pushedDigest(tools.docker("push", image).requireSuccess());
    Digest served = RegistryProbe.of(registry.hostPort()).headManifest(repo, "it");
    RegistryProbe.Served manifest = RegistryProbe.of(registry.hostPort()).getManifest(repo, "it");

    tools.docker("rmi", image).requireSuccess();
    assertThat(tools.docker("image", "inspect", image).exitCode()).as("image gone after rmi").isNotZero();
    tools.docker("pull", image).requireSuccess();

    assertThat(served).isEqualTo(pushed);
    assertThat(manifest.computedDigest()).isEqualTo(pushed);
    assertThat(repoDigests(image)).contains(registry.hostPort() + "/" + repo + "@" + pushed);
    String out = tools.docker("run", "--rm", "--network", "none", image, "echo", "refit-docker-it")
        .requireSuccess().stdout();
    assertThat(out.strip()).isEqualTo("refit-docker-it");
    tools.docker("rmi", image);
  }

  @Test
  void pushRmiPull_newLayer_layerDownloadedFromRegistryAndRuns() {
    // A layer that exists nowhere but in the registry once the local image is removed, so the
    // pull really downloads it rather than finding it in the engine's store.
    String nonce = UUID.randomUUID().toString();
    String container = "refit-it-" + nonce;
    String repo = "refit/nonce";
    String image = registry.hostPort() + "/" + repo + ":v1";
    tools.docker("run", "--name", container, "--network", "none", ToolBox.BUSYBOX_IMAGE,
        "sh", "-c", "echo " + nonce + " > /nonce").requireSuccess();
    try {
      tools.docker("commit", container, image).requireSuccess();
    } finally {
      tools.docker("rm", "-f", container);
    }

    Digest pushed = pushedDigest(tools.docker("push", image).requireSuccess());
    tools.docker("rmi", image).requireSuccess();
    ExternalCommand.Result pull = tools.docker("pull", image).requireSuccess();

    assertThat(pull.stdout()).contains("Pull complete");
    assertThat(RegistryProbe.of(registry.hostPort()).headManifest(repo, "v1")).isEqualTo(pushed);
    assertThat(repoDigests(image)).contains(registry.hostPort() + "/" + repo + "@" + pushed);
    String out = tools.docker("run", "--rm", "--network", "none", image, "cat", "/nonce")
        .requireSuccess().stdout();
    assertThat(out.strip()).isEqualTo(nonce);
    tools.docker("rmi", image);
  }

  private String repoDigests(String image) {
    return tools.docker("image", "inspect", "--format", "{{json .RepoDigests}}", image)
        .requireSuccess().stdout();
  }

  private static Digest pushedDigest(ExternalCommand.Result push) {
    Matcher m = PUSH_DIGEST.matcher(push.stdout());
    assertThat(m.find()).as("push output names the manifest digest:\n%s", push.stdout()).isTrue();
    return Digest.parse(m.group(1));
  }
}
