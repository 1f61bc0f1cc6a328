package dev.refit.pipeline.cli;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.local.FreeAddress;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test kit: fills a real registry with the demo's TripleO-shaped images. Blocking. */
final class DemoUpstream {
  private DemoUpstream() {}

  /** Writes the demo images to a layout under {@code dir} and pushes each as {@code :TAG}. */
  static void seed(Vertx vertx, InProcessRegistry upstream, Path dir) throws Exception {
    OciLayout layout = OciLayout.create(Files.createDirectories(dir));
    RegistryClient client = RegistryClient.create(vertx, upstream.hostPort(), ClientOptions.defaults());
    try {
      for (String repository : DemoScenario.writeImages(layout).values()) {
        await(ImageCopier.of(CopyOptions.defaults()).copy(new LayoutSource(vertx, layout), repository,
            new RegistrySink(client, repository), DemoScenario.TAG));
      }
    } finally {
      await(client.close());
    }
  }

  /**
   * Writes {@code <settingsDir>/refit.yaml} naming {@code upstream}'s demo namespace, the
   * {@code images} listed and a free local registry address; returns the file.
   */
  static Path refitYaml(Path settingsDir, InProcessRegistry upstream, String images)
      throws IOException {
    return Files.writeString(settingsDir.resolve("refit.yaml"), String.join("\n",
        "upstream:",
        "  registry: " + upstream.hostPort(),
        "  namespace: " + DemoScenario.NAMESPACE,
        "images: [" + images + "]",
        FreeAddress.refitYamlLines(),
        ""));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
