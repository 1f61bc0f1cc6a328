package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.pipeline.diff.DiffEngine;
import dev.refit.pipeline.diff.DiffImage;
import dev.refit.pipeline.diff.DiffJson;
import dev.refit.pipeline.diff.DiffOptions;
import dev.refit.pipeline.diff.DiffPatch;
import dev.refit.pipeline.diff.DiffSources;
import dev.refit.pipeline.diff.DiffTable;
import dev.refit.pipeline.diff.ImageDiff;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code refit diff}: compares two images' final filesystems, configs and package databases. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two images: the paths of their final filesystems (type, mode, owner, size, link"
          + " target, content), the config (User, Env, Entrypoint, Cmd, WorkingDir, Labels,"
          + " ExposedPorts, Volumes, platform) and the installed Debian packages.",
      "Exit 0 the same, 1 different, 2 trouble."
    })
final class DiffCommand implements Callable<Integer>, DiffExit {
  enum Output { table, json, unified }

  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "A", description = "REPO:TAG or REPO@DIGEST in the local registry, docker://HOST/REPO[:TAG|@DIGEST],"
          + " oci:DIR:NAME, oci-archive:FILE:NAME, docker-archive:FILE[:NAME] or bundle:FILE:NAME.")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "Same forms as A.")
  String b;

  @Option(names = "--output", defaultValue = "table", description = "table, json or unified (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--paths", paramLabel = "GLOB", arity = "1..*",
      description = "Compare only paths matching a glob (* within a name, ** across directories), e.g. /etc/**.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", defaultValue = "linux/amd64",
      description = "The manifest to pick from a multi-platform index (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--no-fetch", description = "Refuse references that need the network (docker://); exit 2 naming them.")
  boolean noFetch;

  @Mixin LocalStoreRun store;

  @Override
  public Integer call() throws Exception {
    DiffOptions options = DiffOptions.defaults().withGlobs(paths).withPlatform(platform());
    DiffEngine.matchers(paths); // a bad glob is a usage error before anything is read
    ImageDiff diff = store.withVertx("diff", (vertx, run) -> {
      LayerCache layers = new LayerCache(run.resolve("layers"), LayerIndexes.in(store.cache()));
      // The mirror's sources wait on their own futures: open them from this plain thread.
      DiffSources sources = new DiffSources(vertx, store.storeRoot(), run.resolve("images"), noFetch);
      DiffImage imageA = sources.open(a, options.platform());
      DiffImage imageB = sources.open(b, options.platform());
      return LocalStoreRun.onDiffPool(vertx, () -> DiffEngine.diff(imageA, imageB, layers, options));
    });
    global.out().print(switch (output) {
      case table -> DiffTable.render(diff);
      case json -> new String(Json.write(DiffJson.toJson(diff)), StandardCharsets.UTF_8) + "\n";
      case unified -> DiffPatch.render(diff);
    });
    global.out().flush();
    return DiffExit.of(diff.same());
  }

  private Platform platform() {
    try {
      return Platform.parse(platform);
    } catch (IllegalArgumentException e) {
      throw new RefitException("--platform: " + e.getMessage(), "e.g. --platform linux/arm64/v8",
          ExitCode.USAGE, e);
    }
  }
}
