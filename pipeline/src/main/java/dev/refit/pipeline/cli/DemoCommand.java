package dev.refit.pipeline.cli;

import dev.refit.pipeline.demo.SampleImage;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit demo}: the main job on the embedded default. Starts the embedded registry, writes
 * a small reproducible image into an OCI layout, pushes it over HTTP with refit's own client,
 * reads it back and checks the digests. Needs no external registry and no network.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded registry, push a sample image with refit's client, and read it back.",
      "Everything stays under the cache directory; no network is used."
    })
final class DemoCommand implements Callable<Integer> {
  static final String REPOSITORY = "refit/demo";
  static final String TAG = "latest";

  @Mixin GlobalOptions global;

  @Option(names = "--cache-dir", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(
      names = "--listen",
      converter = Listen.Converter.class,
      defaultValue = "127.0.0.1:0",
      description = "Where the embedded registry listens (default: ${DEFAULT-VALUE}, a free port).")
  Listen listen;

  @Option(names = "--serve", description = "Keep serving after the demo, until interrupted.")
  boolean serve;

  @Override
  public Integer call() throws Exception {
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path layoutDir = cache.resolve("demo").resolve("layout");
    Files.createDirectories(layoutDir);
    OciLayout layout =
        Files.exists(layoutDir.resolve(OciLayout.LAYOUT_FILE))
            ? OciLayout.open(layoutDir)
            : OciLayout.create(layoutDir);
    SampleImage.Written image =
        SampleImage.write(layoutDir.resolve(OciLayout.BLOBS_DIR), "patched by refit");
    layout.addManifest(image.manifest().descriptor(), TAG);

    RegistryConfig config =
        RegistryConfig.defaults(cache.resolve("registry")).withHost(listen.host()).withPort(listen.port());
    Vertx vertx = Vertx.vertx();
    try {
      RegistryServer server = await(RegistryServer.start(vertx, config));
      String registry = listen.host() + ":" + server.actualPort();
      System.out.printf("embedded registry: http://%s (root %s)%n", registry, config.root());
      RegistryClient client = RegistryClient.create(vertx, registry, ClientOptions.defaults());

      CopyResult copied =
          await(
              ImageCopier.of(CopyOptions.defaults())
                  .copy(new LayoutSource(vertx, layout), TAG, new RegistrySink(client, REPOSITORY), TAG));
      System.out.printf("pushed %s/%s:%s (%s)%n", registry, REPOSITORY, TAG, copied);

      RawManifest back = await(client.getManifest(REPOSITORY, TAG));
      if (!back.digest().equals(image.manifest().digest())) {
        throw new UserException(
            "read back " + back.digest() + " but pushed " + image.manifest().digest(),
            "the store under " + config.root() + " may be corrupt: run 'refit registry verify'");
      }
      Path pulled = Files.createTempFile(cache, "demo-layer-", ".tmp");
      try {
        Descriptor layer = image.layer();
        long bytes = await(client.pullBlob(REPOSITORY, layer.digest(), pulled));
        System.out.printf("pulled layer %s (%d bytes), digest verified%n", layer.digest(), bytes);
      } finally {
        Files.deleteIfExists(pulled);
      }
      System.out.printf("manifest %s matches; the demo image is in the embedded registry%n", back.digest());
      if (serve) {
        System.out.printf(
            "serving until interrupted; try: skopeo inspect --tls-verify=false docker://%s/%s:%s%n",
            registry, REPOSITORY, TAG);
        Thread.currentThread().join();
      }
      await(client.close());
      await(server.stop());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
