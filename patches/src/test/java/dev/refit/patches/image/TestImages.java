package dev.refit.patches.image;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Test kit: pushes images made of {@link TestLayer}s into an in-process registry. */
public final class TestImages {
  private final InProcessRegistry registry;
  private final RegistryClient client;
  private final Path dir;
  private int counter;

  public TestImages(InProcessRegistry registry, Path dir) {
    this.registry = registry;
    this.dir = dir;
    this.client = RegistryClient.create(registry.vertx(), registry.hostPort(),
        ClientOptions.defaults().withPlainHttpHosts(Set.of(registry.hostPort()))
            .withDockerConfigDir(null));
  }

  public RegistryClient client() {
    return client;
  }

  /** The registry as blocking code reads it. */
  public dev.refit.registry.client.BlockingRegistry blocking() {
    return new dev.refit.registry.client.BlockingRegistry(client, java.time.Duration.ofSeconds(30));
  }

  /** Writes a layer into the test dir (gzip) and returns it. */
  public TestLayer.Built layer(TestLayer layer) throws IOException {
    return layer.write(dir.resolve("layer-" + (counter++) + ".tar.gz"), true);
  }

  /** Pushes {@code repo:tag} with these layers (bottom first) and a config with created/labels. */
  public void push(String repo, String tag, String created, String buildDateLabel,
      List<TestLayer.Built> layers) throws Exception {
    String diffIds = layers.stream().map(l -> "\"" + l.diffId() + "\"")
        .collect(Collectors.joining(","));
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\""
        + (created == null ? "" : ",\"created\":\"" + created + "\"")
        + ",\"config\":{\"User\":\"nova\""
        + (buildDateLabel == null ? "" : ",\"Labels\":{\"build-date\":\"" + buildDateLabel + "\"}")
        + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    Path configFile = Files.write(dir.resolve("config-" + (counter++) + ".json"), configBytes);
    Descriptor configDesc = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(configBytes),
        configBytes.length);
    await(() -> client.pushBlob(repo, configDesc, configFile, null));
    for (TestLayer.Built l : layers) {
      await(() -> client.pushBlob(repo, l.descriptor(), l.file(), null));
    }
    Manifest m = Manifest.of(configDesc, layers.stream().map(TestLayer.Built::descriptor).toList());
    await(() -> client.putManifest(repo, tag, m.toRaw()));
  }

  public io.vertx.core.Vertx vertx() {
    return registry.vertx();
  }

  private <T> T await(java.util.function.Supplier<Future<T>> f) {
    return dev.refit.registry.client.Await.result(f.get(), java.time.Duration.ofSeconds(60), "push");
  }
}
