package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.diff.ConfigDiff;
import dev.refit.pipeline.diff.DiffEngine;
import dev.refit.pipeline.diff.DiffImage;
import dev.refit.pipeline.diff.DiffOptions;
import dev.refit.pipeline.diff.DiffTable;
import dev.refit.pipeline.diff.ImageDiff;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.it.Await;
import dev.refit.registry.it.ExternalCommand;
import dev.refit.registry.it.ToolBox;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit prepare --builder docker} end to end: the demo's upstream served in-process, its
 * nova-api (patched) and novajoin-server (not patched) images given a busybox shell in the real
 * engine, then prepare into the embedded local registry, whose address the engine reaches on
 * loopback (insecure-allowed by dockerd's default). The result is run in the engine; a second run
 * must be {@code unchanged} without any engine event.
 */
class PrepareDockerBuilderIT {
  private static final String PATCHED = "nova-api";
  private static final String MIRRORED = "novajoin-server";

  @TempDir Path tmp;
  private UpstreamFixture fixture;
  private ToolBox tools;
  /** Registries (host:port) whose images the test leaves in the engine; removed after it. */
  private final List<String> registries = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    tools = ToolBox.in(Files.createDirectories(tmp.resolve("tools")));
    tools.requireImage(ToolBox.BUSYBOX_IMAGE);
    fixture = new UpstreamFixture(tmp.resolve("fixture"));
    registries.add(fixture.upstream.hostPort());
    for (String service : List.of(PATCHED, MIRRORED)) {
      addShell(fixture.upstreamRef(service));
    }
  }

  @AfterEach
  void stop() throws Exception {
    // Two passes: the engine refuses to remove a parent (a pulled base) before its child.
    for (int pass = 0; pass < 2; pass++) {
      for (String registry : registries) {
        String ids = tools.docker("image", "ls", "-q", "--no-trunc", "--filter",
            "reference=" + registry + "/*/*").stdout().strip();
        if (!ids.isEmpty()) {
          List<String> rm = new ArrayList<>(List.of("image", "rm", "-f"));
          rm.addAll(List.of(ids.split("\\s+")));
          tools.docker(rm.toArray(String[]::new));
        }
      }
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Rebuilds the upstream image with busybox's /bin and users on top and pushes it under the same tag. */
  private void addShell(String ref) throws Exception {
    Path context = Files.createTempDirectory(tmp, "shell-");
    Files.writeString(context.resolve("Dockerfile"), "FROM " + ref + "\n"
        + "COPY --from=" + ToolBox.BUSYBOX_IMAGE + " /bin/ /bin/\n"
        // The demo images run as root but have no passwd file for the engine to resolve it in.
        + "COPY --from=" + ToolBox.BUSYBOX_IMAGE + " /etc/passwd /etc/group /etc/\n");
    ok(tools.docker("build", "-q", "--force-rm", "-t", ref, context.toString()));
    ok(tools.docker("push", ref));
  }

  private static ExternalCommand.Result ok(ExternalCommand.Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  @Test
  void prepareDocker_patchesRunsRewrites_secondRunUnchangedWithoutEngineWork() throws Exception {
    Path cache = tmp.resolve("cache");
    Path env = Files.writeString(tmp.resolve("overcloud-images.yaml"), String.join("\n",
        "parameter_defaults:",
        "  ContainerNovaApiImage: docker.io/tripleomaster/centos-binary-nova-api:current-tripleo-rdo",
        "  ContainerNovajoinImage: docker.io/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo",
        ""));

    String firstSince = engineNow();
    PrepareReport first = UpstreamFixture.prepare(settings(),
        PrepareOptions.of(cache).withBuilder("docker").withEnvFiles(List.of(env)));
    // The witness below can see engine work: the first run's build and push are events.
    assertThat(engineEvents(firstSince, engineNow())).contains("image push").contains("container create");

    Map<String, ImageOutcome> rows = byService(first);
    ImageOutcome nova = rows.get(PATCHED);
    assertThat(nova.action()).as(nova.reason()).isEqualTo(Action.PATCHED);
    assertThat(rows.get(MIRRORED).action()).as(rows.get(MIRRORED).reason()).isEqualTo(Action.FETCHED);
    assertThat(first.exitCode()).isZero();
    String local = first.localRegistry();
    String repo = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + PATCHED;
    registries.add(local);
    assertThat(Files.readString(env))
        .contains("ContainerNovaApiImage: " + local + "/tripleomaster/centos-binary-nova-api:apex")
        .contains("ContainerNovajoinImage: " + local
            + "/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo");

    Vertx vertx = Vertx.vertx();
    try (InProcessRegistry served = InProcessRegistry.start(vertx, RegistryConfig.defaults(cache.resolve("registry")))) {
      RegistryClient client = RegistryClient.create(vertx, served.hostPort(), ClientOptions.defaults());
      try {
        assertThat(Await.result(client.headManifest(repo, "apex"), "HEAD apex").orElseThrow().digest())
            .hasToString(nova.apexDigest());
        RawManifest raw = Await.result(client.getManifest(repo, "apex"), "GET apex");
        ImageConfig config = ImageConfig.parse(Await.result(client.readBlob(repo,
            Manifest.parse(raw.bytes()).config().digest(), 4 << 20), "GET config").getBytes());
        assertThat(config.config().labels())
            .containsEntry(Provenance.BUILDER, "docker")
            .containsEntry(Provenance.BASE_DIGEST, nova.upstreamDigest())
            .containsKey(Provenance.BUILD_KEY)
            .containsKey(Provenance.VERSION);
        assertThat(config.config().labels().get(Provenance.PATCHES)).contains("I0a1b2c3d4e5f6071");

        String apex = served.hostPort() + "/" + repo + ":apex";
        registries.add(served.hostPort());
        String file = ok(tools.docker("run", "--rm", "--entrypoint", "cat", apex,
            "/" + UpstreamFixture.NOVA_FILE)).stdout();
        assertThat(file).contains("max_count = body.get('max_count', 1)").doesNotContain("max_count = 1\n");
      } finally {
        Await.result(client.close(), "close client");
      }
    } finally {
      Await.result(vertx.close(), "close vertx");
    }

    String since = engineNow();
    PrepareReport second = UpstreamFixture.prepare(settings(), PrepareOptions.of(cache).withBuilder("docker"));
    String until = engineNow();

    Map<String, ImageOutcome> again = byService(second);
    assertThat(again.get(PATCHED).action()).as(again.get(PATCHED).reason()).isEqualTo(Action.UNCHANGED);
    assertThat(again.get(PATCHED).apexDigest()).isEqualTo(nova.apexDigest());
    assertThat(again.get(MIRRORED).action()).isEqualTo(Action.UNCHANGED);
    assertThat(engineEvents(since, until)).as("engine events during the unchanged run").isBlank();
  }

  /**
   * The same input through both builders: the docker builder's {@code :apex} (a layer per
   * Dockerfile step) and the daemonless one (one layer on the base) have the same final
   * filesystem and packages; only the provenance labels tell them apart.
   */
  @Test
  void diff_daemonlessApexAgainstDockerApex_sameFilesystem() throws Exception {
    Path dockerCache = tmp.resolve("cache-docker");
    Path daemonlessCache = tmp.resolve("cache-daemonless");
    ImageOutcome docker = byService(UpstreamFixture.prepare(settings(),
        PrepareOptions.of(dockerCache).withBuilder("docker"))).get(PATCHED);
    registries.add(settings().config().localRegistry().address());
    ImageOutcome daemonless = byService(UpstreamFixture.prepare(settings(),
        PrepareOptions.of(daemonlessCache))).get(PATCHED);
    assertThat(docker.action()).as(docker.reason()).isEqualTo(Action.PATCHED);
    assertThat(daemonless.action()).as(daemonless.reason()).isEqualTo(Action.PATCHED);
    String repo = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + PATCHED;
    DiffOptions options = DiffOptions.defaults();
    DiffImage a = DiffImage.fromStore(FsStore.open(daemonlessCache.resolve("registry"),
        StoreOptions.defaults()), repo, "apex", options.platform(), "daemonless:apex");
    DiffImage b = DiffImage.fromStore(FsStore.open(dockerCache.resolve("registry"),
        StoreOptions.defaults()), repo, "apex", options.platform(), "docker:apex");
    assertThat(b.layers().size()).isGreaterThan(a.layers().size());

    ImageDiff diff = DiffEngine.diff(a, b, new LayerCache(tmp.resolve("diff-run"),
        LayerIndexes.in(tmp.resolve("diff-cache"))), options);

    assertThat(diff.paths()).as(DiffTable.render(diff)).isEmpty();
    assertThat(diff.packages()).isEmpty();
    assertThat(diff.config()).extracting(ConfigDiff::field)
        .as(DiffTable.render(diff)).containsOnly("Labels");
    assertThat(diff.stats().sharedLayers()).isPositive();
  }

  @Test
  void prepareDocker_configuredPortTaken_buildsThroughTheFallbackPortAndListsNameTheConfiguredAddress()
      throws Exception {
    Path cache = tmp.resolve("cache");
    Path env = Files.writeString(tmp.resolve("overcloud-images.yaml"), String.join("\n",
        "parameter_defaults:",
        "  ContainerNovaApiImage: docker.io/tripleomaster/centos-binary-nova-api:current-tripleo-rdo",
        ""));
    LoadedSettings settings = settings();
    String configured = settings.config().localRegistry().address();
    int port = Integer.parseInt(configured.substring(configured.lastIndexOf(':') + 1));
    List<io.vertx.core.json.JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    PrepareReport report;
    try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      report = UpstreamFixture.prepare(settings,
          PrepareOptions.of(cache).withBuilder("docker").withEnvFiles(List.of(env)), events::add);
    }
    registries.add(configured);

    assertThat(events).as("the run says it moved to a free port")
        .anyMatch(e -> "notice".equals(e.getString("type"))
            && e.getString("message", "").startsWith(configured + " is in use"));
    ImageOutcome nova = byService(report).get(PATCHED);
    assertThat(nova.action()).as(nova.reason()).isEqualTo(Action.PATCHED);
    assertThat(report.exitCode()).isZero();
    assertThat(report.localRegistry()).isEqualTo(configured);
    assertThat(Files.readString(env))
        .contains("ContainerNovaApiImage: " + configured + "/tripleomaster/centos-binary-nova-api:apex");
    // The engine pushed through the fallback port into the same store: it holds the patched image.
    String repo = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + PATCHED;
    var store = dev.refit.registry.store.fs.FsStore.open(cache.resolve("registry"),
        dev.refit.registry.store.fs.StoreOptions.defaults());
    assertThat(store.get(repo, "apex").orElseThrow().digest()).hasToString(nova.apexDigest());
  }

  private String engineEvents(String since, String until) {
    return ok(tools.docker("events", "--since", since, "--until", until,
        "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}")).stdout();
  }

  /** Now as `docker events` takes it; the engine runs on this machine, so it shares the clock. */
  private static String engineNow() {
    Instant now = Instant.now();
    return String.format("%d.%09d", now.getEpochSecond(), now.getNano());
  }

  /** The demo's nova patch only (no neutron image here), on nova-api and novajoin-server. */
  private LoadedSettings settings() throws Exception {
    Path dir = fixture.settingsFile.getParent();
    Path deploy = dir.resolve("deploy_nova_only.yaml");
    String text = Files.readString(fixture.settingsFile);
    Files.writeString(deploy, text.replaceAll(
        "(?m)^      - change-id: I7654321098f7e6d5c4b3a29180f6e5d4c3b2a1f0\n.*\n.*\n", ""));
    Path refitYaml = Files.writeString(dir.resolve("refit-docker.yaml"),
        Files.readString(fixture.refitYaml).replaceAll("(?m)^images: .*$",
            "images: [" + PATCHED + ", " + MIRRORED + "]"));
    return SettingsLoader.load(deploy, Optional.empty(), Optional.of(refitYaml));
  }

  private static Map<String, ImageOutcome> byService(PrepareReport report) {
    return report.images().stream().collect(Collectors.toMap(ImageOutcome::service, o -> o));
  }
}
