package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.source.GerritFake;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.fetch.CountingProxy;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-connection proof for the whole {@code refit prepare --no-fetch}: counting TCP proxies
 * sit in front of a real embedded upstream registry and of a Gerrit wire-format fake serving the
 * nova patch as a change, and the settings point at the proxies only.
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

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    OciLayout layout = OciLayout.create(Files.createDirectories(tmp.resolve("layout")));
    Map<String, String> repositories = DemoScenario.writeImages(layout);
    RegistryClient client = RegistryClient.create(vertx, upstream.hostPort(), ClientOptions.defaults());
    for (String repository : repositories.values()) {
      await(ImageCopier.of(CopyOptions.defaults()).copy(new LayoutSource(vertx, layout), repository,
          new RegistrySink(client, repository), DemoScenario.TAG));
    }
    await(client.close());
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
    String[] base = {"prepare", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", cache.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return MainTest.run(args);
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
