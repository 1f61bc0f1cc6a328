package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.local.FreeAddress;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit plan} and {@code refit prepare} find images the same way. The local registry
 * holds a nova image that upstream no longer serves, and none of the images upstream does; with
 * images discovered from the catalog, plan must target exactly the images prepare patches.
 */
class PlanPrepareAgreeTest {
  private static final String PREFIX = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry upstream;
  private Path settings;
  private Path refitYaml;
  private Path cache;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    DemoUpstream.seed(vertx, upstream, tmp.resolve("layout"));
    settings = DemoScenario.writeSettings(tmp.resolve("settings"));
    refitYaml = Files.writeString(tmp.resolve("settings/refit.yaml"), String.join("\n",
        "upstream:",
        "  registry: " + upstream.hostPort(),
        "  namespace: " + DemoScenario.NAMESPACE,
        FreeAddress.refitYamlLines(),
        ""));
    cache = tmp.resolve("cache");
    // A nova image left in the local registry by an older run; upstream has no such image.
    try (InProcessRegistry local = InProcessRegistry.start(vertx, RegistryConfig.defaults(cache.resolve("registry")))) {
      RegistryClient from = RegistryClient.create(vertx, upstream.hostPort(), ClientOptions.defaults());
      RegistryClient to = RegistryClient.create(vertx, local.hostPort(), ClientOptions.defaults());
      DemoUpstream.await(ImageCopier.of(CopyOptions.defaults()).copy(
          new RegistrySource(from, PREFIX + "nova-api"), DemoScenario.TAG,
          new RegistrySink(to, PREFIX + "nova-legacy"), DemoScenario.TAG));
      DemoUpstream.await(from.close());
      DemoUpstream.await(to.close());
    }
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
    DemoUpstream.await(vertx.close());
  }

  @Test
  void planAndPrepare_discoveredImages_targetTheSameImages() {
    MainTest.Run plan = MainTest.run("plan", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", cache.toString(), "--output", "json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    Set<String> planned = new TreeSet<>();
    new JsonObject(plan.out()).getJsonArray("images").forEach(i -> planned.add((String) i));

    MainTest.Run prepare = MainTest.run("prepare", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", cache.toString(), "--output", "json");
    assertThat(prepare.exitCode()).as(prepare.err()).isZero();
    List<String> lines = prepare.out().lines().toList();
    JsonArray rows = new JsonObject(lines.get(lines.size() - 1)).getJsonArray("images");
    Set<String> patched = new TreeSet<>();
    Set<String> all = new TreeSet<>();
    rows.forEach(r -> {
      JsonObject row = (JsonObject) r;
      all.add(row.getString("service"));
      if ("patched".equals(row.getString("action"))) {
        patched.add(row.getString("service"));
      }
    });

    assertThat(planned).contains("nova-api").doesNotContain("nova-legacy");
    assertThat(all).doesNotContain("nova-legacy");
    assertThat(planned).isEqualTo(patched);
  }
}
