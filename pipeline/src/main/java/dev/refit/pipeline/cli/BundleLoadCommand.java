package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.pipeline.bundle.BundleLoad;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.pipeline.mirror.Destinations;
import dev.refit.registry.client.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(names = "--to", paramLabel = "DEST",
      description = "docker://HOST[:PORT][/PREFIX] or oci:DIR (default: the embedded registry's store).")
  String to;

  @Option(names = "--dest-tls-verify", defaultValue = "true", arity = "1", paramLabel = "BOOL",
      description = "Verify the destination registry's TLS certificate (default: ${DEFAULT-VALUE}).")
  boolean destTlsVerify;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--root", paramLabel = "DIR", description = "The embedded registry's store (default: <cache>/registry).")
  Path root;

  @Override
  public Integer call() throws Exception {
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path storeRoot = root != null ? root.toAbsolutePath().normalize() : cache.resolve("registry");
    Vertx vertx = Vertx.vertx();
    try {
      Destination destination = Destinations.open(vertx, to, storeRoot, destTlsVerify);
      try {
        BundleLoad.Outcome outcome = BundleLoad.run(bundle, destination, cache.resolve("bundle-load"));
        outcome.images().forEach(global.out()::println);
        global.out().printf("%s: %d image(s), %d blob(s) sent, %d already there%n", bundle,
            outcome.images().size(), outcome.sent(), outcome.skipped());
        global.out().flush();
        return ExitCode.DONE.code();
      } finally {
        Await.result(destination.close(), Duration.ofSeconds(30), "closing the destination");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
