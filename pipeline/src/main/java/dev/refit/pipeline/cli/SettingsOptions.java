package dev.refit.pipeline.cli;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.PlanJson;
import dev.refit.patches.mapping.PlanTable;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.plan.PlanRunner;
import dev.refit.pipeline.prepare.RunSpec;
import dev.refit.registry.client.ClientOptions;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import dev.refit.settings.config.LocalRegistryConfig;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The settings options {@code plan} and {@code prepare} share (deploy settings, common patches,
 * refit.yaml, cache directory, local registry), how they combine into {@link LoadedSettings},
 * and printing a plan from them. Mixed in; not thread-safe (one per command instance).
 */
final class SettingsOptions {
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

  /**
   * Loads the three files; {@code --registry} replaces refit.yaml's local registry. With
   * {@code embedded} the address refit.yaml gives the embedded registry is kept, since image
   * lists name it.
   */
  LoadedSettings load() {
    LoadedSettings settings = SettingsLoader.load(
        deploySettings, Optional.ofNullable(commonPatches), Optional.ofNullable(refitConfig));
    RefitConfig config = settings.config();
    if (registry != null) {
      LocalRegistryConfig configured = config.localRegistry();
      config = config.withLocalRegistry(!"embedded".equals(registry)
          ? LocalRegistryConfig.external(registryUrl())
          : configured.embedded() ? LocalRegistryConfig.embeddedAt(configured.address())
          : LocalRegistryConfig.embeddedRegistry());
    }
    return new LoadedSettings(settings.deploy(), settings.common(), settings.patches(), config);
  }

  /**
   * What a cluster worker needs to load these settings as this command did: the files by
   * absolute path and the registry of {@code config} (its URL; never the embedded store).
   */
  RunSpec runSpec(RefitConfig config, String builder, boolean noFetch) {
    return new RunSpec(deploySettings.toAbsolutePath().normalize(),
        commonPatches == null ? null : commonPatches.toAbsolutePath().normalize(),
        refitConfig == null ? null : refitConfig.toAbsolutePath().normalize(),
        config.localRegistry().url(), builder, noFetch);
  }

  /** {@code --registry} as an http(s) URL with a host, as refit.yaml's url must be. */
  private URI registryUrl() {
    String problem;
    try {
      URI uri = new URI(registry);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
      problem = "is not an http(s) URL with a host";
    } catch (java.net.URISyntaxException e) {
      problem = "is not a URL: " + Causes.describe(e);
    }
    throw new RefitException("--registry '" + registry + "' " + problem,
        "write --registry embedded, or a URL such as http://127.0.0.1:8787", ExitCode.USAGE);
  }

  /** {@code --cache-dir}, else {@code $REFIT_CACHE_DIR}, else refit.yaml's, else the default. */
  Path cache(RefitConfig config) {
    if (cacheDir == null && System.getenv("REFIT_CACHE_DIR") == null
        && !config.cacheDir().equals(RefitConfig.defaultCacheDir())) {
      return config.cacheDir();
    }
    return CacheDir.resolve(cacheDir, System.getenv());
  }

  /** Plans against the local registry and prints the plan as JSON or as a table; returns 0. */
  int printPlan(Vertx vertx, LoadedSettings settings, boolean noFetch, boolean json, PrintWriter out)
      throws Exception {
    Path cache = cache(settings.config());
    UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), cache, noFetch);
    PlanRunner runner = new PlanRunner(vertx, cache, access);
    LocalRegistry local = runner.openRegistry(settings.config());
    Plan plan;
    try {
      plan = runner.plan(settings, local);
    } finally {
      Future.join(local.close(), access.close()).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
    out.print(json ? PlanJson.write(plan) : PlanTable.write(plan));
    out.flush();
    return 0;
  }
}
