package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.prepare.PrepareOptions;
import dev.refit.pipeline.prepare.PreparePipeline;
import dev.refit.pipeline.prepare.PrepareReport;
import dev.refit.pipeline.progress.JsonLinesRenderer;
import dev.refit.pipeline.progress.ProgressRenderer;
import dev.refit.pipeline.progress.TtyRenderer;
import dev.refit.registry.client.ClientOptions;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit prepare}: fetch → plan → patch → rebuild → publish {@code apex} → rewrite image
 * lists, what Apex's {@code deploy --upstream --containers} did. Exit codes ({@link ExitCode}):
 * 0 all done, 1 some image failed, 2 usage or configuration error, 3 offline cache miss; failures
 * are thrown and reported by {@link FailureReporter}. Blocking; one instance per run.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch upstream images into the local registry, apply the patches, publish :apex and"
          + " rewrite the image lists.",
      "Exit 0 all done, 1 an image failed, 2 bad usage or settings, 3 --no-fetch and something"
          + " is not cached."
    })
final class PrepareCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Mixin SettingsOptions settingsOptions;

  @Mixin ClusterFlags cluster;

  @Option(names = "--no-fetch", description = "Strict offline: no upstream connection; exit 3 if anything is not cached.")
  boolean noFetch;

  @Option(names = "--upstream", description = "Accepted for Apex compatibility (always on).")
  boolean upstream;

  @Option(names = "--containers", description = "Accepted for Apex compatibility (always on).")
  boolean containers;

  @Option(names = "--builder", paramLabel = "daemonless|jib|docker", description = {
      "How images are rebuilt (default: from refit.yaml, else daemonless).",
      "daemonless: refit writes the delta layer and appends it to the base in the local"
          + " registry; each blob is pushed once, no container engine.",
      "jib: the same layer, appended and pushed by jib-core, as daemonless worked before; the"
          + " image config and manifest digests differ from daemonless.",
      "docker: the Docker engine builds the generated Dockerfiles."})
  String builder;

  @Option(names = "--env-file", description = "Image-list file to rewrite (repeatable).")
  List<Path> envFiles = new ArrayList<>();

  @Option(names = "--output", defaultValue = "table", description = "table or json (default:"
      + " ${DEFAULT-VALUE}). Progress: bars on a terminal, else JSON-lines events (on stdout before"
      + " the report with json, on stderr with table).")
  Output output;

  @Option(names = "--keep-going", description = "When an image fails, still rewrite the image lists"
      + " for the images that succeeded; a failed image's entries stay as they were. Without it, no"
      + " list is written when any image fails.")
  boolean keepGoing;

  @Option(names = "--dry-run", description = "Print the plan (as 'refit plan') and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    LoadedSettings settings = settingsOptions.load();
    RefitConfig config = settings.config();
    Path cache = settingsOptions.cache(config);
    String builderName = builder != null ? builder.toLowerCase(java.util.Locale.ROOT)
        : config.builder().name().toLowerCase(java.util.Locale.ROOT);
    if (!java.util.Set.of("daemonless", "jib", "docker").contains(builderName)) {
      throw new RefitException("unknown builder '" + builderName + "'",
          "use --builder daemonless, jib or docker", ExitCode.USAGE);
    }
    if (cluster.enabled && !dryRun) {
      PreparePipeline.requireSharedRegistry(config);
    }
    Vertx vertx = dryRun ? Vertx.vertx() : cluster.vertx();
    try {
      if (dryRun) {
        return settingsOptions.printPlan(vertx, settings, noFetch, output == Output.json,
            global.out());
      }
      // Events arrive on an event loop; they are only queued there and printed by this thread,
      // so writing to a slow terminal or pipe never blocks an event loop.
      BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
      MessageConsumer<JsonObject> events = vertx.eventBus().consumer(PreparePipeline.EVENTS,
          m -> queue.add(m.body()));
      PrepareOptions options = PrepareOptions.of(cache).withBuilder(builderName)
          .withEnvFiles(envFiles).withKeepGoing(keepGoing).withVersion(Version.current());
      UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), cache, noFetch);
      PrepareReport report;
      ProgressRenderer progress = renderer();
      try {
        PreparePipeline pipeline = new PreparePipeline(vertx, settings, options, access);
        if (cluster.enabled) {
          pipeline = pipeline.withCluster(settingsOptions.runSpec(config, builderName, noFetch),
              cluster.options());
        }
        CompletableFuture<PrepareReport> run = pipeline.run()
            .eventually(access::close)
            .toCompletionStage().toCompletableFuture();
        while (!run.isDone()) {
          JsonObject event = queue.poll(100, TimeUnit.MILLISECONDS);
          if (event != null) {
            show(progress, event);
          }
        }
        report = run.get();
      } finally {
        events.unregister().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (JsonObject left = queue.poll(); left != null; left = queue.poll()) {
          show(progress, left);
        }
        progress.close();
      }
      if (output == Output.json) {
        // One more JSON line, so the whole output stays JSON-lines.
        global.out().println(new JsonObject().put("type", "report")
            .mergeIn(new JsonObject(report.toJson())).encode());
      } else {
        global.out().print(report.table());
        global.out().printf("report: %s%n", cache.resolve(PrepareReport.FILE_NAME));
      }
      global.out().flush();
      ImagesFailedException.check(report, cache.resolve(PrepareReport.FILE_NAME));
      return ExitCode.DONE.code();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** A notice also goes to stdout as a note line in table mode, where events do not. */
  private void show(ProgressRenderer progress, JsonObject event) {
    if (output == Output.table && "notice".equals(event.getString("type"))) {
      global.out().println("refit: note: " + event.getString("message"));
    }
    progress.render(event);
  }

  /**
   * Progress bars on a terminal; JSON lines otherwise: on stdout with {@code --output json}
   * (before the report line), else on stderr so stdout keeps only the table.
   */
  private ProgressRenderer renderer() {
    if (output == Output.json) {
      return new JsonLinesRenderer(global.out());
    }
    if (System.console() != null) {
      return new TtyRenderer(System.out, 0);
    }
    return new JsonLinesRenderer(global.spec.commandLine().getErr());
  }
}
