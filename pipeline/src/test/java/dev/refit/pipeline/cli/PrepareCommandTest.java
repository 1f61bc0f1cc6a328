package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refit prepare} through the real command line against a real embedded upstream. */
class PrepareCommandTest {
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
        "images: [nova-api, neutron-server, novajoin-server]",
        dev.refit.pipeline.local.FreeAddress.refitYamlLines(),
        ""));
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
    await(vertx.close());
  }

  private MainTest.Run prepare(String... extra) {
    String[] base = {"prepare", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", cache.toString(), "--upstream", "--containers"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return MainTest.run(args);
  }

  @Test
  void prepare_noFetchOnEmptyCache_exits3ListingEveryRef() {
    MainTest.Run r = prepare("--no-fetch");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
    String prefix = upstream.hostPort() + "/tripleomaster/centos-binary-";
    assertThat(r.err()).contains("--no-fetch")
        .contains(prefix + "nova-api:current-tripleo-rdo")
        .contains(prefix + "neutron-server:current-tripleo-rdo")
        .contains(prefix + "novajoin-server:current-tripleo-rdo")
        .contains("refit: hint:")
        .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("--debug");
    assertThat(cache.resolve("refit-report.json")).doesNotExist();
  }

  @Test
  void prepare_badSettingsFile_exits2NamingFileAndLine() throws Exception {
    // Line 4 opens a flow sequence that never closes.
    Files.writeString(settings, String.join("\n",
        "global_params:",
        "  ha_enabled: false",
        "deploy_options:",
        "  containers: [true",
        "  os_version: master",
        ""));

    MainTest.Run r = prepare();

    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).containsPattern(java.util.regex.Pattern.quote(settings.toString()) + ":[4-6]\\b")
        .contains("refit: hint:").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
    assertThat(cache.resolve("refit-report.json")).doesNotExist();
  }

  @Test
  void prepare_oneConflictingPatch_exits1AndTheOthersFinish() throws Exception {
    Path neutronPatch = settings.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("-    timeout = 30", "-    timeout = 45"));

    MainTest.Run r = prepare();

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).containsPattern("nova-api +patched").containsPattern("neutron-server +failed")
        .containsPattern("novajoin-server +fetched").contains("3 image(s), 1 failed");
    assertThat(r.err()).doesNotContain("\tat ");
    JsonObject report = new JsonObject(Files.readString(cache.resolve("refit-report.json")));
    assertThat(report.getJsonArray("images").stream().map(o -> ((JsonObject) o).getString("action")))
        .containsExactlyInAnyOrder("patched", "failed", "fetched");
  }

  @Test
  void prepare_tableThenJsonRerun_reportsPatchedThenUnchanged() {
    MainTest.Run first = prepare();

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("IMAGE").containsPattern("nova-api +patched")
        .containsPattern("neutron-server +patched").containsPattern("novajoin-server +fetched")
        .contains("refit-report.json").doesNotContain("{\"type\"");
    // Not a terminal: the job events go to stderr as JSON lines, stdout keeps only the table.
    assertThat(first.err().lines().filter(l -> l.startsWith("{")).map(JsonObject::new)
        .filter(e -> "queued".equals(e.getString("type"))).count()).isEqualTo(3);

    MainTest.Run second = prepare("--output", "json");

    assertThat(second.exitCode()).as(second.err()).isZero();
    String[] lines = second.out().split("\n");
    long resultEvents = java.util.Arrays.stream(lines).filter(l -> l.startsWith("{\"type\":\"result\""))
        .map(JsonObject::new).filter(e -> "unchanged".equals(e.getString("action"))).count();
    // The two patched images keep their build key; novajoin's upstream digest is unchanged.
    assertThat(resultEvents).isEqualTo(3);
    JsonObject report = new JsonObject(lines[lines.length - 1]);
    assertThat(report.getString("type")).isEqualTo("report");
    assertThat(report.getJsonArray("images")).hasSize(3);
    assertThat(second.out()).contains("\"action\":\"unchanged\"").doesNotContain("\"patched\"");
  }

  @Test
  void prepare_badConfig_exits2() throws Exception {
    Files.writeString(refitYaml, "upstream: [not, a, mapping]\n");

    MainTest.Run r = prepare();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("refit: error:");
  }

  @Test
  void prepare_dryRunAfterARun_printsPlanAndWritesNoReport() throws Exception {
    assertThat(prepare().exitCode()).isZero();
    Path report = cache.resolve("refit-report.json");
    String before = Files.readString(report);
    Files.delete(report);

    MainTest.Run r = prepare("--dry-run");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("openstack/nova").contains("nova-api")
        .doesNotContain("APEX DIGEST");
    assertThat(report).doesNotExist();
    assertThat(before).contains("\"patched\"");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
