package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.source.GerritFake;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.fetch.CountingProxy;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zero-connection proof for every command that takes {@code --no-fetch} ({@code plan},
 * {@code prepare}, {@code prepare --dry-run}): counting TCP proxies sit in front of a real
 * embedded upstream registry and of a Gerrit wire-format fake serving the nova patch as a
 * change, and the settings point at the proxies only. Each command runs with listed images and
 * with images discovered from the upstream catalog.
 */
class OfflinePrepareTest {
  private static final String NOVA_CHANGE = "I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
  private static final String NOVA_SHA = "3333333333333333333333333333333333333333";

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry upstream;
  private GerritFake gerrit;
  private CountingProxy registryProxy;
  private CountingProxy gerritProxy;
  private Path settings;
  private Path refitYaml;
  private Path discoveringYaml;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    DemoUpstream.seed(vertx, upstream, tmp.resolve("layout"));
    settings = DemoScenario.writeSettings(tmp.resolve("settings"));
    // The nova patch becomes a Gerrit change (no file), served by the fake.
    byte[] novaPatch = Files.readAllBytes(settings.resolveSibling("nova-servers.patch"));
    Files.writeString(settings, Files.readString(settings).replace(
        "        project: openstack/nova\n        file: nova-servers.patch\n",
        "        project: openstack/nova\n"));
    gerrit = GerritFake.start();
    gerrit.add("openstack/nova", "master", NOVA_CHANGE, "NEW", null,
        new GerritFake.Patchset(1, NOVA_SHA, novaPatch));
    registryProxy = CountingProxy.start(vertx, upstream.port());
    gerritProxy = CountingProxy.start(vertx, gerrit.baseUrl().getPort());
    refitYaml = Files.writeString(tmp.resolve("settings/refit.yaml"), String.join("\n",
        "upstream:",
        "  registry: 127.0.0.1:" + registryProxy.port(),
        "  namespace: " + DemoScenario.NAMESPACE,
        "images: [nova-api, neutron-server, novajoin-server]",
        "gerrit_url: http://127.0.0.1:" + gerritProxy.port(),
        ""));
    discoveringYaml = Files.writeString(tmp.resolve("settings/discovering.yaml"), String.join("\n",
        "upstream:",
        "  registry: 127.0.0.1:" + registryProxy.port(),
        "  namespace: " + DemoScenario.NAMESPACE,
        "gerrit_url: http://127.0.0.1:" + gerritProxy.port(),
        ""));
  }

  /** Every command that takes --no-fetch, each with listed and with discovered images. */
  static Stream<Arguments> offlineCommands() {
    List<Arguments> rows = new ArrayList<>();
    for (boolean discover : new boolean[] {false, true}) {
      rows.add(Arguments.of(List.of("plan"), discover));
      rows.add(Arguments.of(List.of("prepare"), discover));
      rows.add(Arguments.of(List.of("prepare", "--dry-run"), discover));
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} --no-fetch, discover={1}")
  @MethodSource("offlineCommands")
  void noFetch_afterOnlineRun_exits0WithoutAnyConnection(List<String> command, boolean discover) {
    Path cache = tmp.resolve("cache");
    Path config = discover ? discoveringYaml : refitYaml;
    MainTest.Run online = run(List.of("prepare"), config, cache);
    assertThat(online.exitCode()).as(online.out() + online.err()).isZero();
    int registryBefore = registryProxy.connections();
    int gerritBefore = gerritProxy.connections();
    assertThat(registryBefore).isPositive();

    MainTest.Run offline = run(command, config, cache, "--no-fetch");

    assertThat(offline.exitCode()).as(offline.out() + offline.err()).isZero();
    assertThat(offline.out()).contains("nova-api");
    assertThat(registryProxy.connections() - registryBefore).as("new connections to the upstream registry")
        .isZero();
    assertThat(gerritProxy.connections() - gerritBefore).as("new connections to Gerrit").isZero();
  }

  @ParameterizedTest(name = "{0} --no-fetch on an empty cache, discover={1}")
  @MethodSource("offlineCommands")
  void noFetch_onEmptyCache_exits3NamingTheMissesWithoutAnyConnection(List<String> command,
      boolean discover) {
    MainTest.Run r = run(command, discover ? discoveringYaml : refitYaml, tmp.resolve("empty"),
        "--no-fetch");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.err()).contains("Gerrit change " + NOVA_CHANGE + " of openstack/nova (branch master)");
    if (discover) {
      assertThat(r.err()).contains("the image catalog of 127.0.0.1:" + registryProxy.port());
    }
    assertThat(registryProxy.connections()).isZero();
    assertThat(gerritProxy.connections()).isZero();
  }

  /**
   * The Apex way: deploy settings only, no refit.yaml. The default upstream's catalog is not
   * cached, so the run exits 3 and names it, rather than mapping the patches to no image.
   */
  @Test
  void prepare_noFetchWithoutRefitYaml_exits3NamingTheDefaultCatalog() {
    MainTest.Run r = MainTest.run("prepare", "-d", settings.toString(), "--cache-dir",
        tmp.resolve("empty").toString(), "--no-fetch");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.err()).contains("the image catalog of docker.io")
        .contains("Gerrit change " + NOVA_CHANGE);
    assertThat(r.err().lines().filter(l -> l.startsWith("refit: hint:"))).hasSize(1);
  }

  private MainTest.Run run(List<String> command, Path config, Path cache, String... extra) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("-d", settings.toString(), "-c", config.toString(),
        "--cache-dir", cache.toString()));
    args.addAll(List.of(extra));
    return MainTest.run(args.toArray(String[]::new));
  }

  @AfterEach
  void stop() throws Exception {
    await(registryProxy.close());
    await(gerritProxy.close());
    gerrit.close();
    upstream.close();
    await(vertx.close());
  }

  private MainTest.Run prepare(Path cache, String... extra) {
    return run(List.of("prepare"), refitYaml, cache, extra);
  }

  @Test
  void prepare_noFetchAfterOnlineRun_makesNoConnectionToRegistryOrGerrit() {
    Path cache = tmp.resolve("cache");
    MainTest.Run online = prepare(cache);
    assertThat(online.exitCode()).as(online.out() + online.err()).isZero();
    assertThat(online.out()).containsPattern("nova-api +patched");
    assertThat(registryProxy.connections()).isPositive();
    assertThat(gerritProxy.connections()).isPositive();
    assertThat(gerrit.patchDownloads()).isEqualTo(1);
    int registryBefore = registryProxy.connections();
    int gerritBefore = gerritProxy.connections();

    MainTest.Run offline = prepare(cache, "--no-fetch");

    assertThat(offline.exitCode()).as(offline.out() + offline.err()).isZero();
    assertThat(offline.out()).containsPattern("nova-api +unchanged")
        .containsPattern("neutron-server +unchanged");
    assertThat(registryProxy.connections()).as("connections to the upstream registry")
        .isEqualTo(registryBefore);
    assertThat(gerritProxy.connections()).as("connections to Gerrit").isEqualTo(gerritBefore);

    // verify re-applies the Gerrit download from <cache>/patches, connecting to nothing.
    MainTest.Run verified = MainTest.run("verify", DemoScenario.NAMESPACE + "/"
        + DemoScenario.PREFIX + "nova-api", "--no-fetch", "--cache-dir", cache.toString());
    assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).contains("patch    " + NOVA_CHANGE + " GERRIT sha256:")
        .containsPattern("(?m)^ok +changed +/usr/lib/python3.6/site-packages/nova/");
    assertThat(registryProxy.connections()).isEqualTo(registryBefore);
    assertThat(gerritProxy.connections()).isEqualTo(gerritBefore);
  }

  @Test
  void prepare_onlineRerun_doesNotDownloadTheUnchangedPatchAgain() {
    Path cache = tmp.resolve("cache");
    assertThat(prepare(cache).exitCode()).isZero();

    MainTest.Run again = prepare(cache);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(gerrit.patchDownloads()).isEqualTo(1);
    assertThat(gerrit.hits("/changes/")).as("change asked twice, patch once").isEqualTo(3);
  }

  @Test
  void prepare_noFetchOnEmptyCache_exits3ListingImagesAndTheGerritChange() {
    MainTest.Run r = prepare(tmp.resolve("empty"), "--no-fetch");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.err())
        .contains("127.0.0.1:" + registryProxy.port() + "/tripleomaster/centos-binary-nova-api:current-tripleo-rdo")
        .contains("centos-binary-neutron-server").contains("centos-binary-novajoin-server")
        .contains("Gerrit change " + NOVA_CHANGE + " of openstack/nova (branch master)")
        .contains("deploy_settings.yaml:");
    assertThat(registryProxy.connections()).isZero();
    assertThat(gerritProxy.connections()).isZero();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
