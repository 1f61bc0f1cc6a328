package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.fetch.CountingProxy;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The air-gapped deploy end to end (issue #11): a connected side writes a bundle of the demo's
 * upstream images; an empty cache on the disconnected side loads it and runs
 * {@code refit prepare --no-fetch} with the deploy settings and a patch, without one connection
 * to the upstream (counted by a proxy in front of it).
 */
class AirGapTest {
  private static final List<String> IMAGES = List.of("nova-api", "neutron-server", "novajoin-server");

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry upstream;
  private CountingProxy proxy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    DemoUpstream.seed(vertx, upstream, tmp.resolve("layout"));
    proxy = CountingProxy.start(vertx, upstream.port());
  }

  @AfterEach
  void stop() throws Exception {
    DemoUpstream.await(proxy.close());
    upstream.close();
    DemoUpstream.await(vertx.close());
  }

  @Test
  void bundleLoadThenPrepareNoFetch_onAnEmptyCache_patchesWithoutConnectingUpstream() throws Exception {
    String host = "127.0.0.1:" + proxy.port();
    Path sync = Files.writeString(tmp.resolve("sync.yaml"), host + ":\n  images:\n" + IMAGES.stream()
        .map(i -> "    " + DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + i + ": [" + DemoScenario.TAG + "]\n")
        .collect(Collectors.joining()));
    Path bundle = tmp.resolve("connected/site.tar");
    MainTest.Run created = MainTest.run("bundle", "create", "-f", sync.toString(), "-o", bundle.toString(),
        "--keep-path");
    assertThat(created.exitCode()).as(created.err()).isZero();
    int connected = proxy.connections();

    Path site = tmp.resolve("site-cache");
    MainTest.Run loaded = MainTest.run("bundle", "load", bundle.toString(), "--cache-dir", site.toString());
    assertThat(loaded.exitCode()).as(loaded.err()).isZero();
    assertThat(loaded.out()).contains("3 image(s) recorded in the fetch cache");
    Path settings = DemoScenario.writeSettings(tmp.resolve("settings"));
    Path refitYaml = Files.writeString(tmp.resolve("settings/refit.yaml"), String.join("\n",
        "upstream:",
        "  registry: " + host,
        "  namespace: " + DemoScenario.NAMESPACE,
        "images: [" + String.join(", ", IMAGES) + "]",
        ""));

    String prefix = host + "/" + DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;
    Path env = Files.writeString(tmp.resolve("overcloud-images.yaml"), String.join("\n",
        "parameter_defaults:",
        "  ContainerNovaApiImage: " + prefix + "nova-api:" + DemoScenario.TAG,
        ""));

    MainTest.Run prepared = MainTest.run("prepare", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", site.toString(), "--no-fetch", "--env-file", env.toString());

    assertThat(prepared.exitCode()).as(prepared.out() + prepared.err()).isZero();
    assertThat(prepared.out()).containsPattern("nova-api +patched");
    String local = new JsonObject(Files.readString(site.resolve("refit-report.json"))).getString("localRegistry");
    assertThat(Files.readAllLines(env)).contains("  ContainerNovaApiImage: " + local + "/" + DemoScenario.NAMESPACE
        + "/" + DemoScenario.PREFIX + "nova-api:apex");
    assertThat(FsStore.open(site.resolve("registry"), StoreOptions.defaults())
        .get(DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + "nova-api", "apex")).isPresent();
    assertThat(proxy.connections()).as("connections to the upstream after the bundle was written")
        .isEqualTo(connected);
  }
}
