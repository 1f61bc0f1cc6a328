package dev.refit.pipeline.cli;

import dev.refit.pipeline.demo.DemoScenario;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit demo}: the main job on the embedded default, offline. Serves an embedded
 * "upstream" registry seeded with TripleO-style images, then runs {@code prepare} with sample
 * Apex settings into the embedded local registry, rewrites a sample TripleO env file and prints
 * the report. A second run finds every patched image unchanged.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run prepare against an embedded sample upstream, into the embedded local registry.",
      "Everything stays under the cache directory; no network is used."
    })
final class DemoCommand implements Callable<Integer> {
  /** The demo upstream's preferred port, so the cache index matches across runs; 0 if taken. */
  static final int UPSTREAM_PORT = 8788;

  @Mixin GlobalOptions global;

  @Option(names = "--cache-dir", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Override
  public Integer call() throws Exception {
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path demoDir = Files.createDirectories(cache.resolve("demo"));
    OciLayout layout = OciLayout.create(Files.createDirectories(demoDir.resolve("upstream")));
    Map<String, String> repositories = DemoScenario.writeImages(layout);
    Path settingsFile = DemoScenario.writeSettings(demoDir);

    Vertx vertx = Vertx.vertx();
    try {
      RegistryServer upstream = startUpstream(vertx, demoDir.resolve("upstream-registry"));
      try {
        String upstreamHost = "127.0.0.1:" + upstream.actualPort();
        seed(vertx, layout, repositories, upstreamHost);
        Path refitYaml = writeRefitYaml(demoDir, upstreamHost, repositories);
        Path envFile = writeEnvFile(demoDir);
        LoadedSettings settings =
            SettingsLoader.load(settingsFile, Optional.empty(), Optional.of(refitYaml));

        PrepareReport report = await(new PreparePipeline(vertx, settings,
            PrepareOptions.of(cache).withEnvFiles(List.of(envFile))).run());
        global.out().printf("%n%s%n", report.table());
        global.out().printf("rewritten %s:%n%s%n", envFile, Files.readString(envFile, StandardCharsets.UTF_8));
        global.out().printf("report: %s%n", cache.resolve(PrepareReport.FILE_NAME));
        global.out().printf("serve the result: bin/refit registry serve --root %s%n", cache.resolve("registry"));
        global.out().flush();
        return report.exitCode();
      } finally {
        await(upstream.stop());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static RegistryServer startUpstream(Vertx vertx, Path root) throws Exception {
    RegistryConfig config = RegistryConfig.defaults(root).withPort(UPSTREAM_PORT);
    try {
      return await(RegistryServer.start(vertx, config));
    } catch (Exception portTaken) {
      return await(RegistryServer.start(vertx, config.withPort(0)));
    }
  }

  /** Copies every sample image into the upstream registry; blobs already there are skipped. */
  private void seed(Vertx vertx, OciLayout layout, Map<String, String> repositories, String host)
      throws Exception {
    RegistryClient client = RegistryClient.create(vertx, host, ClientOptions.defaults());
    try {
      for (String repository : repositories.values()) {
        await(ImageCopier.of(CopyOptions.defaults()).copy(new LayoutSource(vertx, layout), repository,
            new RegistrySink(client, repository), DemoScenario.TAG));
      }
    } finally {
      await(client.close());
    }
    global.out().printf("upstream: http://%s with %d sample images (%s/%s*:%s)%n", host,
        repositories.size(), DemoScenario.NAMESPACE, DemoScenario.PREFIX, DemoScenario.TAG);
  }

  private static Path writeRefitYaml(Path dir, String upstreamHost, Map<String, String> repositories)
      throws Exception {
    return Files.writeString(dir.resolve("refit.yaml"), String.join("\n",
        "# refit configuration for the demo: the sample upstream, the embedded local registry.",
        "upstream:",
        "  registry: " + upstreamHost,
        "  namespace: " + DemoScenario.NAMESPACE,
        "  name_prefix: " + DemoScenario.PREFIX,
        "  tag: " + DemoScenario.TAG,
        "images: [" + String.join(", ", repositories.keySet()) + "]",
        ""), StandardCharsets.UTF_8);
  }

  /** A TripleO env file as a deployer would have it, written afresh each run. */
  private static Path writeEnvFile(Path dir) throws Exception {
    String image = "docker.io/" + DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;
    return Files.writeString(dir.resolve("overcloud-images.yaml"), String.join("\n",
        "# Overcloud container images (TripleO env file)",
        "parameter_defaults:",
        "  ContainerNovaApiImage: " + image + "nova-api:" + DemoScenario.TAG,
        "  ContainerNovaComputeImage: " + image + "nova-compute:" + DemoScenario.TAG,
        "  ContainerNovaConductorImage: " + image + "nova-conductor:" + DemoScenario.TAG,
        "  ContainerNeutronApiImage: " + image + "neutron-server:" + DemoScenario.TAG,
        "  ContainerNovajoinImage: " + image + "novajoin-server:" + DemoScenario.TAG,
        ""), StandardCharsets.UTF_8);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }
}
