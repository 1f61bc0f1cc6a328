package dev.refit.pipeline.cli;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.pipeline.diff.StoreRef;
import dev.refit.pipeline.verify.Verifier;
import dev.refit.pipeline.verify.VerifyOutput;
import dev.refit.pipeline.verify.VerifyReport;
import dev.refit.registry.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code refit verify}: checks that an {@code :apex} image in the local registry is its base
 * plus its declared patches, re-applied from the cache, and nothing else. Offline always.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check that an image refit built is exactly its base (org.opencontainers.image.base.digest)"
          + " plus its declared patches (dev.refit.patches), re-applied from the cache: every"
          + " path and config field that differs from the base must be a patch's doing.",
      "Works offline from the local registry and the cache. Exit 0 verified, 1 unexplained"
          + " differences, 2 trouble."
    })
final class VerifyCommand implements Callable<Integer>, DiffExit {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "IMAGE",
      description = "REPO[:TAG] or REPO@DIGEST in the local registry; the tag defaults to apex.")
  String image;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--no-fetch", description = "Accepted for symmetry: verify never uses the network.")
  boolean noFetch;

  @Mixin LocalStoreRun store;

  @Override
  public Integer call() throws Exception {
    StoreRef ref = StoreRef.parse(image.contains("@") || image.lastIndexOf(':') > image.lastIndexOf('/')
        ? image : image + ":apex");
    VerifyReport report = store.run("verify", (s, cache, scratch) -> new Verifier(s, cache,
        new LayerCache(scratch.resolve("layers"), LayerIndexes.in(cache)), scratch.resolve("work"))
        .verify(ref));
    global.out().print(output == Output.json
        ? new String(Json.write(VerifyOutput.json(report)), StandardCharsets.UTF_8) + "\n"
        : VerifyOutput.table(report));
    global.out().flush();
    return DiffExit.of(report.verified());
  }
}
