package dev.refit.pipeline.cli;

import dev.refit.settings.LoadedSettings;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit plan}: prints, for each patch, the images it maps to, the path inside each image
 * and why, plus the images skipped and why. Writes nothing but fetched patches and, for
 * discovered images, the upstream catalog to the cache.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Map each patch to the images it changes and the path inside each image, and say why.",
      "Finds the images as prepare does; reads each from the local registry (the embedded one"
          + " by default), or from upstream while it is not mirrored there."
    })
final class PlanCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Mixin SettingsOptions settingsOptions;

  @Option(names = "--no-fetch", description = "Strict offline: no upstream connection; exit 3 if anything is not cached.")
  boolean noFetch;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Override
  public Integer call() throws Exception {
    LoadedSettings settings = settingsOptions.load();
    Vertx vertx = Vertx.vertx();
    try {
      return settingsOptions.printPlan(vertx, settings, noFetch, output == Output.json, global.out());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
