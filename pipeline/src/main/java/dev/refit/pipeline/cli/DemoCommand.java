package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.demo.Examples;
import dev.refit.pipeline.demo.KollaFamily;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.prepare.PrepareOptions;
import dev.refit.pipeline.prepare.PreparePipeline;
import dev.refit.pipeline.prepare.PrepareReport;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import dev.refit.settings.config.LocalRegistryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit demo}: the main job on the embedded default, offline. Copies the sample settings
 * ({@code examples/demo}) into {@code <cache>/demo}, serves an embedded "upstream" registry
 * holding the kolla-shaped sample family, runs {@code prepare} into the embedded local registry,
 * rewrites the sample TripleO env file, and prints the report and how to serve and pull the
 * result. A second run finds every image unchanged. Blocking (runs on the CLI thread).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run prepare with the sample settings of examples/demo against an embedded sample upstream,"
          + " into the embedded local registry.",
      "Everything stays under the cache directory; no network."
    })
final class DemoCommand implements Callable<Integer> {
  /** The image whose pull the closing hints show. */
  private static final String SHOWN = "nova-api";

  @Mixin GlobalOptions global;

  @Option(names = "--cache-dir", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--address", paramLabel = "HOST:PORT",
      description = "Address of the embedded local registry, named by the rewritten image list"
          + " (default: local_registry.address of examples/demo/refit.yaml, " + Examples.LOCAL_ADDRESS + ").")
  String address;

  /** The sample upstream's port; a fixed one keeps the cache index's upstream keys across runs. */
  @Option(names = "--upstream-port", hidden = true, defaultValue = "8788")
  int upstreamPort;

  @Override
  public Integer call() throws Exception {
    String local = address == null ? Examples.LOCAL_ADDRESS : address;
    String problem = LocalRegistryConfig.addressProblem(local);
    if (problem != null) {
      throw new RefitException("--address " + problem, "give HOST:PORT, e.g. " + Examples.LOCAL_ADDRESS,
          ExitCode.USAGE);
    }
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path demoDir = Files.createDirectories(cache.resolve("demo"));
    Examples.copyTo(demoDir);
    OciLayout layout = OciLayout.create(Files.createDirectories(demoDir.resolve("upstream")));
    Map<String, String> repositories = KollaFamily.write(layout);

    Vertx vertx = Vertx.vertx();
    try {
      RegistryServer upstream = startUpstream(vertx, demoDir.resolve("upstream-registry"));
      try {
        String upstreamHost = "127.0.0.1:" + upstream.actualPort();
        seed(vertx, layout, repositories, upstreamHost);
        Path refitYaml = demoDir.resolve(Examples.REFIT_YAML);
        Examples.pointAt(refitYaml, upstreamHost, local);
        Path envFile = demoDir.resolve(Examples.ENV_FILE);
        LoadedSettings settings = SettingsLoader.load(demoDir.resolve(Examples.DEPLOY_SETTINGS),
            Optional.empty(), Optional.of(refitYaml));
        PrepareReport report = prepare(vertx, settings, PrepareOptions.of(cache)
            .withEnvFiles(List.of(envFile)).withVersion(Version.current()));
        global.out().printf("%n%s%n", report.table());
        global.out().printf("rewritten %s:%n%s%n", envFile, Files.readString(envFile, StandardCharsets.UTF_8));
        global.out().printf("report: %s%n", cache.resolve(PrepareReport.FILE_NAME));
        printServeAndPull(cache.resolve("registry"), report.localRegistry(),
            repositories.get(SHOWN) + ":" + settings.config().tag().name());
        global.out().flush();
        ImagesFailedException.check(report, cache.resolve(PrepareReport.FILE_NAME));
        return ExitCode.DONE.code();
      } finally {
        await(upstream.stop());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private RegistryServer startUpstream(Vertx vertx, Path root) throws Exception {
    RegistryConfig config = RegistryConfig.defaults(root).withPort(upstreamPort);
    try {
      return await(RegistryServer.start(vertx, config));
    } catch (Exception portTaken) {
      return await(RegistryServer.start(vertx, config.withPort(0)));
    }
  }

  /** Runs prepare; its notices (e.g. the local registry's port was taken) are printed after. */
  private PrepareReport prepare(Vertx vertx, LoadedSettings settings, PrepareOptions options)
      throws Exception {
    Queue<String> notices = new ConcurrentLinkedQueue<>();
    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(PreparePipeline.EVENTS, m -> {
      if ("notice".equals(m.body().getString("type"))) {
        notices.add(m.body().getString("message"));
      }
    });
    try {
      UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), options.cacheDir(), false);
      return await(new PreparePipeline(vertx, settings, options, access).run().eventually(access::close));
    } finally {
      await(events.unregister());
      notices.forEach(n -> global.out().println("refit: note: " + n));
    }
  }

  /** Copies every sample image into the upstream registry; blobs already there are skipped. */
  private void seed(Vertx vertx, OciLayout layout, Map<String, String> repositories, String host)
      throws Exception {
    RegistryClient client = RegistryClient.create(vertx, host, ClientOptions.defaults());
    try {
      for (String repository : repositories.values()) {
        await(ImageCopier.of(CopyOptions.defaults()).copy(new LayoutSource(vertx, layout), repository,
            new RegistrySink(client, repository), KollaFamily.TAG));
      }
    } finally {
      await(client.close());
    }
    global.out().printf("upstream: http://%s with %d sample images (%s/%s*:%s)%n", host,
        repositories.size(), KollaFamily.NAMESPACE, KollaFamily.PREFIX, KollaFamily.TAG);
  }

  /** The commands that serve the store where the image lists point, and pull from it. */
  private void printServeAndPull(Path store, String localAddress, String repositoryAndTag) {
    String ref = localAddress + "/" + repositoryAndTag;
    global.out().printf("%nserve the result where the image lists point, then pull it:%n");
    global.out().printf("  bin/refit registry serve --root %s --listen %s &%n", store, localAddress);
    global.out().printf("  skopeo inspect --tls-verify=false docker://%s%n", ref);
    global.out().printf("  skopeo copy --src-tls-verify=false docker://%s oci:%s:%s%n", ref, SHOWN,
        repositoryAndTag.substring(repositoryAndTag.lastIndexOf(':') + 1));
    global.out().printf("  docker pull %s%n", ref);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }
}
