package dev.refit.pipeline.cli;

import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.PlanTable;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.plan.PlanRunner;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit demo}: the main job on the embedded default, offline. Seeds TripleO-style
 * upstream images into the embedded registry with refit's own client, writes an Apex deploy
 * settings file with two patches, and plans which images and paths those patches change.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Seed sample upstream images into the embedded registry and plan two patches against them.",
      "Everything stays under the cache directory; no network is used."
    })
final class DemoCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = "--cache-dir", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--serve", description = "Keep the embedded registry serving afterwards, until interrupted.")
  boolean serve;

  @Override
  public Integer call() throws Exception {
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path demoDir = cache.resolve("demo");
    OciLayout upstream = OciLayout.create(Files.createDirectories(demoDir.resolve("upstream")));
    Map<String, String> repositories = DemoScenario.writeImages(upstream);
    Path settingsFile = DemoScenario.writeSettings(demoDir);

    Vertx vertx = Vertx.vertx();
    try {
      PlanRunner runner = new PlanRunner(vertx, cache);
      LocalRegistry local = runner.openRegistry(RefitConfig.defaults());
      try {
        global.out().printf("embedded registry: http://%s (store %s)%n", local.address(), cache.resolve("registry"));
        seed(vertx, upstream, repositories, local);

        LoadedSettings settings = SettingsLoader.load(settingsFile, Optional.empty(), Optional.empty());
        Plan plan = runner.plan(settings, local);
        global.out().printf("%nplan for %s:%n%n", settingsFile);
        global.out().print(PlanTable.write(plan));
        global.out().printf("%nnext: bin/refit plan -d %s --output json%n", settingsFile);
        if (serve) {
          global.out().printf("serving until interrupted; try: skopeo inspect --tls-verify=false docker://%s/%s:%s%n",
              local.address(), repositories.get("nova-api"), DemoScenario.TAG);
          Thread.currentThread().join();
        }
      } finally {
        await(local.close());
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Copies every demo image into the local registry and reads each manifest back by tag. */
  private void seed(Vertx vertx, OciLayout upstream, Map<String, String> repositories,
      LocalRegistry local) throws Exception {
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    int copied = 0;
    int skipped = 0;
    for (String repository : repositories.values()) {
      CopyResult r = await(copier.copy(new LayoutSource(vertx, upstream), repository,
          new RegistrySink(local.client(), repository), DemoScenario.TAG));
      RawManifest back = await(local.client().getManifest(repository, DemoScenario.TAG));
      Digest expected = upstream.resolve(repository).digest();
      if (!back.digest().equals(expected)) {
        throw new UserException("read back " + back.digest() + " for " + repository + " but pushed " + expected,
            "the store may be corrupt: run 'refit registry verify'");
      }
      copied += r.blobsCopied();
      skipped += r.blobsSkipped() + r.blobsMounted();
      global.out().printf("upstream %s/%s:%s  %s%n", local.address(), repository, DemoScenario.TAG, r.digest());
    }
    global.out().printf("seeded %d images: %d blobs pushed, %d already present or mounted%n",
        repositories.size(), copied, skipped);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
