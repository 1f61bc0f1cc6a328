package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
    refitYaml = DemoUpstream.refitYaml(settings.getParent(), upstream,
        "nova-api, neutron-server, novajoin-server");
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
    return MainTest.run(concat(base, extra));
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

  /** A conflicting neutron patch: neutron-server fails, nova-api is patched, novajoin fetched. */
  private void conflictingNeutronPatch() throws Exception {
    Path neutronPatch = settings.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("-    timeout = 30", "-    timeout = 45"));
  }

  /** An env file naming the upstream images, the way a deployer's list starts out. */
  private Path upstreamEnvFile() throws Exception {
    String prefix = upstream.hostPort() + "/" + DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;
    return Files.writeString(tmp.resolve("overcloud-images.yaml"), String.join("\n",
        "# images for the overcloud",
        "parameter_defaults:",
        "  ContainerNovaApiImage: " + prefix + "nova-api:" + DemoScenario.TAG,
        "  ContainerNeutronApiImage: " + prefix + "neutron-server:" + DemoScenario.TAG + "   # keep",
        "  ContainerNovajoinImage: \"" + prefix + "novajoin-server:" + DemoScenario.TAG + "\"",
        ""));
  }

  @Test
  void prepare_failedImage_leavesImageListsByteIdentical() throws Exception {
    conflictingNeutronPatch();
    Path env = upstreamEnvFile();
    byte[] before = Files.readAllBytes(env);

    MainTest.Run r = prepare("--env-file", env.toString());

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(Files.readAllBytes(env)).isEqualTo(before);
    assertThat(env.resolveSibling("overcloud-images.yaml.bak")).doesNotExist();
    assertThat(r.out()).containsPattern("neutron-server +failed").doesNotContain("rewrote ")
        .contains("image lists left unchanged: 1 of 3 image(s) failed").contains("--keep-going");
    JsonObject report = new JsonObject(Files.readString(cache.resolve("refit-report.json")));
    assertThat(report.getJsonArray("rewritten")).isEmpty();
    assertThat(report.getString("listsNote")).contains("left unchanged").contains("--keep-going");
  }

  @Test
  void prepare_failedImageWithKeepGoing_rewritesOthersAndKeepsFailedLines() throws Exception {
    conflictingNeutronPatch();
    Path env = upstreamEnvFile();
    List<String> before = Files.readAllLines(env);

    MainTest.Run r = prepare("--env-file", env.toString(), "--keep-going");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    List<String> after = Files.readAllLines(env);
    assertThat(after).hasSameSizeAs(before);
    String neutron = before.get(3);
    assertThat(after.get(3)).isEqualTo(neutron);
    JsonObject report = new JsonObject(Files.readString(cache.resolve("refit-report.json")));
    String local = report.getString("localRegistry") + "/" + DemoScenario.NAMESPACE + "/"
        + DemoScenario.PREFIX;
    assertThat(after.get(2)).isEqualTo("  ContainerNovaApiImage: " + local + "nova-api:apex");
    assertThat(after.get(4)).isEqualTo("  ContainerNovajoinImage: \"" + local + "novajoin-server:"
        + DemoScenario.TAG + "\"");
    assertThat(String.join("\n", after)).doesNotContain(local + "neutron-server");
    assertThat(env.resolveSibling("overcloud-images.yaml.bak")).exists();
    assertThat(r.out()).contains("rewrote ").contains("left as they were: neutron-server");
    assertThat(report.getJsonArray("rewritten")).hasSize(1);
    assertThat(report.getString("listsNote")).contains("neutron-server");
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
  void prepare_builderJib_patchesWithJibCore_andAnUnknownBuilderExits2() {
    MainTest.Run jib = prepare("--builder", "jib");

    assertThat(jib.exitCode()).as(jib.out() + jib.err()).isZero();
    assertThat(jib.out()).containsPattern("nova-api +patched").containsPattern("neutron-server +patched");
    // jib-core's own caches: the jib builder ran, not refit's append.
    assertThat(cache.resolve("jib/jib-cache")).isDirectory();
    // The jib-built images are their base plus their patches, as verify re-applies them.
    for (String service : List.of("nova-api", "neutron-server")) {
      MainTest.Run verified = MainTest.run("verify", DemoScenario.NAMESPACE + "/"
          + DemoScenario.PREFIX + service, "--cache-dir", cache.toString());
      assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
      assertThat(verified.out()).contains("builder  jib").contains("verified: ");
    }

    MainTest.Run unknown = prepare("--builder", "kaniko");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown builder 'kaniko'").contains("daemonless, jib or docker");
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

  /**
   * {@code plan} and {@code prepare} find images the same way. The local registry holds a nova
   * image that upstream no longer serves, and none of the images upstream does; with images
   * discovered from the catalog, plan must target exactly the images prepare patches.
   */
  @Test
  void planAndPrepare_discoveredImages_targetTheSameImages() throws Exception {
    String prefix = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;
    Path discovering = Files.writeString(tmp.resolve("settings/discovering.yaml"),
        Files.readString(refitYaml).replace("images: [nova-api, neutron-server, novajoin-server]\n", ""));
    try (InProcessRegistry local = InProcessRegistry.start(vertx, RegistryConfig.defaults(cache.resolve("registry")))) {
      RegistryClient from = RegistryClient.create(vertx, upstream.hostPort(), ClientOptions.defaults());
      RegistryClient to = RegistryClient.create(vertx, local.hostPort(), ClientOptions.defaults());
      await(ImageCopier.of(CopyOptions.defaults()).copy(new RegistrySource(from, prefix + "nova-api"),
          DemoScenario.TAG, new RegistrySink(to, prefix + "nova-legacy"), DemoScenario.TAG));
      await(Future.join(from.close(), to.close()));
    }
    String[] common = {"-d", settings.toString(), "-c", discovering.toString(), "--cache-dir",
        cache.toString(), "--output", "json"};

    MainTest.Run plan = MainTest.run(concat(new String[] {"plan"}, common));
    MainTest.Run prepare = MainTest.run(concat(new String[] {"prepare"}, common));

    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(prepare.exitCode()).as(prepare.err()).isZero();
    Set<String> planned = new TreeSet<>();
    new JsonObject(plan.out()).getJsonArray("images").forEach(i -> planned.add((String) i));
    List<String> lines = prepare.out().lines().toList();
    Set<String> all = new TreeSet<>();
    Set<String> patched = new TreeSet<>();
    new JsonObject(lines.get(lines.size() - 1)).getJsonArray("images").forEach(r -> {
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

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
