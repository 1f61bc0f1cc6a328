package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.image.LayerCache;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.it.ToolBox;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker engine pulls an image the daemonless builder published to the embedded registry and
 * runs it: the patched files are there with their mode and owner, and the deleted one is gone.
 */
class DaemonlessRebuildIT {
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
  void rebuild_busyboxBase_engineRunsThePatchedImage() throws Exception {
    String baseRepo = "upstream/busybox";
    tools.skopeo("copy", "--src-daemon-host", tools.dockerHost(), "--dest-tls-verify=false",
        "docker-daemon:" + ToolBox.BUSYBOX_IMAGE, "docker://" + registry.hostPort() + "/" + baseRepo + ":1")
        .requireSuccess();
    RegistryClient client = TestBase.client(registry);
    Optional<Descriptor> head =
        Await.result(client.headManifest(baseRepo, "1"), Duration.ofSeconds(30), "head base");
    Digest baseDigest = head.orElseThrow().digest();

    String nonce = UUID.randomUUID().toString();
    Path files = Files.createDirectories(tmp.resolve("files"));
    PatchResult result = new PatchResult(
        List.of(
            changed(files, "etc/refit-hello", nonce + "\n", 0640, 0, 0),
            changed(files, "opt/app/greeting", "hi\n", 0600, 1000, 1000)),
        List.of("bin/arp"));
    RebuildRequest request = new RebuildRequest("busybox", ImageRef.of(registry.hostPort(), baseRepo, "1", baseDigest),
        "refit/busybox", "apex",
        List.of(AppliedPatch.of("hello", "file hello.patch", Digest.sha256(nonce.getBytes(StandardCharsets.UTF_8)))),
        result, Map.of());
    BaseFiles baseFiles = BaseFiles.fromRegistry(new dev.refit.registry.client.BlockingRegistry(client, Duration.ofSeconds(60)),
        new LayerCache(Files.createDirectories(tmp.resolve("layers"))),
        Files.createDirectories(tmp.resolve("pull")));
    RebuildResult built = DaemonlessRebuilder.of(client, tmp.resolve("work"), "it")
        .withBaseFiles(baseFiles).rebuild(request);
    assertThat(built.skipped()).isFalse();

    String image = registry.hostPort() + "/refit/busybox:apex";
    try {
      String out = tools.docker("run", "--rm", "--network", "none", image, "sh", "-c",
              "cat /etc/refit-hello; stat -c '%a %u:%g' /etc/refit-hello /opt/app/greeting;"
                  + " test -e /bin/arp && echo arp-present || echo arp-gone; test -e /bin/ash && echo ash-kept")
          .requireSuccess().stdout();
      assertThat(out.lines().toList()).containsExactly(
          nonce, "640 0:0", "600 1000:1000", "arp-gone", "ash-kept");
      String labels = tools.docker("image", "inspect", "--format",
          "{{index .Config.Labels \"dev.refit.build-key\"}} {{json .Config.Cmd}}", image).requireSuccess().stdout();
      assertThat(labels.strip()).isEqualTo(built.buildKey() + " [\"sh\"]");
    } finally {
      tools.docker("rmi", image);
    }
  }

  private static ChangedFile changed(Path dir, String path, String text, int mode, int uid, int gid)
      throws java.io.IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve(path.replace('/', '_')), bytes);
    return new ChangedFile(path, file, mode, uid, gid, bytes.length, Digest.sha256(bytes));
  }
}
