package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.pipeline.bundle.BundleLoad;
import dev.refit.pipeline.bundle.LoadedAsFetched;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.pipeline.mirror.Destinations;
import dev.refit.registry.client.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code refit bundle load}: pushes a bundle's images into the embedded registry or a destination. Blocking. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Load a bundle into the embedded registry (default), a registry (docker://HOST[/PREFIX]) or an"
          + " OCI layout (oci:DIR), verifying every blob; a re-run sends only what is missing.",
      "Exit 0 loaded, 1 a corrupt or missing entry, or a differential bundle whose base is not loaded,"
          + " 2 bad usage."
    })
final class BundleLoadCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "BUNDLE", description = "The bundle file.")
  Path bundle;

  @Mixin DestinationOptions options;

  @Override
  public Integer call() throws Exception {
    BundleLoad.Outcome outcome = CommandVertx.run(vertx -> {
      Destination destination = Destinations.open(vertx, options.to, options.storeRoot(), options.destTlsVerify);
      try {
        return BundleLoad.run(bundle, destination, options.cache().resolve("bundle-load"));
      } finally {
        Await.result(destination.close(), Duration.ofSeconds(30), "closing the destination");
      }
    });
    outcome.images().forEach(global.out()::println);
    if (options.to == null && options.root == null) {
      int recorded = LoadedAsFetched.record(options.cache(), outcome.index(), Instant.now());
      if (recorded > 0) {
        global.out().printf("%d image(s) recorded in the fetch cache for refit prepare --no-fetch%n", recorded);
      }
    }
    global.out().printf("%s: %d image(s), %d blob(s) sent, %d already there%n", bundle,
        outcome.images().size(), outcome.sent(), outcome.skipped());
    global.out().flush();
    return ExitCode.DONE.code();
  }
}
