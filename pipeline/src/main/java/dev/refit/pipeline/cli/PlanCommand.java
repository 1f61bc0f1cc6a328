package dev.refit.pipeline.cli;

import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.PlanJson;
import dev.refit.patches.mapping.PlanTable;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.plan.PlanRunner;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import dev.refit.settings.config.LocalRegistryConfig;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit plan}: prints, for each patch, the images it maps to, the path inside each image
 * and why, plus the images skipped and why. Writes nothing but fetched patches to the cache.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Map each patch to the images it changes and the path inside each image, and say why.",
      "Reads images from the local registry (the embedded one by default)."
    })
final class PlanCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Option(names = {"-d", "--deploy-settings"}, required = true, description = "Apex deploy settings file.")
  Path deploySettings;

  @Option(names = {"-p", "--common-patches"}, description = "Common patches file (default: common-patches.yaml beside -d, if present).")
  Path commonPatches;

  @Option(names = {"-c", "--config"}, description = "refit.yaml (default: built-in defaults).")
  Path refitConfig;

  @Option(names = "--cache-dir", description = "Cache directory (default: $REFIT_CACHE_DIR, else cache_dir from refit.yaml, else ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--registry", description = "Local registry: 'embedded' or a URL such as http://127.0.0.1:8787 (default: from refit.yaml).")
  String registry;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Override
  public Integer call() throws Exception {
    LoadedSettings settings = SettingsLoader.load(
        deploySettings, Optional.ofNullable(commonPatches), Optional.ofNullable(refitConfig));
    RefitConfig config = settings.config();
    if (registry != null) {
      config = config.withLocalRegistry("embedded".equals(registry)
          ? LocalRegistryConfig.embeddedRegistry() : LocalRegistryConfig.external(URI.create(registry)));
    }
    Path cache = resolveCache(config);
    settings = new LoadedSettings(settings.deploy(), settings.common(), settings.patches(), config);

    Vertx vertx = Vertx.vertx();
    try {
      PlanRunner runner = new PlanRunner(vertx, cache);
      LocalRegistry local = runner.openRegistry(config);
      Plan plan;
      try {
        plan = runner.plan(settings, local);
      } finally {
        local.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      global.out().print(output == Output.json ? PlanJson.write(plan) : PlanTable.write(plan));
      global.out().flush();
      global.out().flush();
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private Path resolveCache(RefitConfig config) {
    if (cacheDir == null && System.getenv("REFIT_CACHE_DIR") == null
        && !config.cacheDir().equals(RefitConfig.defaultCacheDir())) {
      return config.cacheDir();
    }
    return CacheDir.resolve(cacheDir, System.getenv());
  }
}
