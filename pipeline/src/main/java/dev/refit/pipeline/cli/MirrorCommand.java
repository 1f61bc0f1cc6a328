package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.DestinationNaming;
import dev.refit.pipeline.mirror.Mirror;
import dev.refit.pipeline.mirror.MirrorOutcome;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code refit mirror}: copies the images of a skopeo-sync YAML, or of references, to one destination. */
@Command(
    name = "mirror",
    mixinStandardHelpOptions = true,
    description = {
      "Mirror images from a skopeo-sync YAML file (-f) or from source references into the embedded"
          + " registry (default), a registry (docker://HOST[/PREFIX]) or an OCI layout (oci:DIR).",
      "Exit 0 all done, 1 an image failed, 2 bad usage or settings, 3 --no-fetch and a source needs the network."
    })
final class MirrorCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Option(names = {"-f", "--file"}, paramLabel = "SYNC.yaml", description = "skopeo-sync YAML (with refit's keys under refit:).")
  Path file;

  @Parameters(paramLabel = "SRC-REF", arity = "0..*",
      description = "docker://HOST/REPO[:TAG|@DIGEST] (no tag: every tag) or oci:DIR[:NAME].")
  List<String> refs = new ArrayList<>();

  @Option(names = "--to", paramLabel = "DEST",
      description = "docker://HOST[:PORT][/PREFIX] or oci:DIR (default: the embedded registry's store).")
  String to;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Keep only these platforms of each index (repeatable); overrides refit.platforms.")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--concurrency", defaultValue = "4", description = "Images at once, and blobs in flight per image (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--no-fetch", description = "Refuse sources that need the network (exit 3 naming them); oci: sources work.")
  boolean noFetch;

  @Option(names = "--scoped", description = "Name destinations HOST/PATH/NAME, as skopeo sync --scoped.")
  boolean scoped;

  @Option(names = "--keep-path", description = "Name destinations PATH/NAME (the source path without its host).")
  boolean keepPath;

  @Option(names = "--dest-tls-verify", defaultValue = "true", arity = "1", paramLabel = "BOOL",
      description = "Verify the destination registry's TLS certificate (default: ${DEFAULT-VALUE}).")
  boolean destTlsVerify;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--root", paramLabel = "DIR", description = "The embedded registry's store (default: <cache>/registry).")
  Path root;

  @Override
  public Integer call() throws Exception {
    if (scoped && keepPath) {
      throw new RefitException("--scoped and --keep-path contradict each other", "choose one", ExitCode.USAGE);
    }
    Path storeRoot = root != null ? root.toAbsolutePath().normalize()
        : CacheDir.resolve(cacheDir, System.getenv()).resolve("registry");
    MirrorRequest request = MirrorRequest.of(file, storeRoot).withRefs(refs).withTo(to).withPlatforms(platforms)
        .withConcurrency(concurrency).withNoFetch(noFetch).withDestTlsVerify(destTlsVerify)
        .withNaming(scoped ? DestinationNaming.SCOPED : keepPath ? DestinationNaming.PATH : DestinationNaming.BASE);
    Vertx vertx = Vertx.vertx();
    try {
      MirrorReport report = Mirror.run(vertx, request);
      global.out().print(output == Output.json ? report.jsonLines() : report.table());
      global.out().flush();
      List<MirrorOutcome> failed = report.failed();
      if (!failed.isEmpty()) {
        throw new RefitException(failed.size() + " of " + report.images().size() + " image(s) failed; first: "
            + failed.get(0).source() + ": " + failed.get(0).error(),
            "fix the cause and run again: what was copied is not copied again", ExitCode.FAILED);
      }
      return ExitCode.DONE.code();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
