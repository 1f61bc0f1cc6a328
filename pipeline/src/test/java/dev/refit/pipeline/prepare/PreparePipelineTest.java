package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.pipeline.fetch.CacheMissException;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.pipeline.progress.JsonLinesRenderer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over real registries: an embedded "upstream" seeded with TripleO-shaped images and
 * the embedded local registry under a temp cache. No mocks.
 */
class PreparePipelineTest {
  @TempDir Path tmp;
  private UpstreamFixture fixture;
  private Path cache;

  @BeforeEach
  void start() throws Exception {
    fixture = new UpstreamFixture(tmp.resolve("fixture"));
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static Map<String, ImageOutcome> byService(PrepareReport report) {
    return report.images().stream().collect(Collectors.toMap(ImageOutcome::service, o -> o));
  }

  private Path envFile() throws Exception {
    return Files.writeString(tmp.resolve("overcloud-images.yaml"), String.join("\n",
        "# images for the overcloud",
        "parameter_defaults:",
        "  ContainerNovaApiImage: docker.io/tripleomaster/centos-binary-nova-api:current-tripleo-rdo",
        "  DockerNeutronApiImage: docker.io/tripleomaster/centos-binary-neutron-server:current-tripleo-rdo",
        "  ContainerNovajoinImage: docker.io/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo",
        ""));
  }

  @Test
  void prepare_firstRunPatchesAndRewrites_secondRunUnchanged() throws Exception {
    Path env = envFile();
    PrepareOptions options = PrepareOptions.of(cache).withEnvFiles(List.of(env));

    PrepareReport first = UpstreamFixture.prepare(fixture.settings(), options);

    Map<String, ImageOutcome> rows = byService(first);
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(UpstreamFixture.SERVICES);
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server")) {
      assertThat(rows.get(s).action()).as(s + ": " + rows.get(s).reason()).isEqualTo(Action.PATCHED);
      assertThat(rows.get(s).apexDigest()).startsWith("sha256:");
      assertThat(rows.get(s).upstreamDigest()).startsWith("sha256:");
    }
    assertThat(rows.get("novajoin-server").action()).isEqualTo(Action.FETCHED);
    assertThat(rows.get("novajoin-server").apexDigest()).isNull();
    assertThat(first.exitCode()).isZero();

    String patched = UpstreamFixture.readFile(cache.resolve("registry"), tmp.resolve("read1"),
        "nova-api", "apex", UpstreamFixture.NOVA_FILE);
    assertThat(patched).contains("max_count = body.get('max_count', 1)")
        .doesNotContain("max_count = 1\n");
    String upstreamCopy = UpstreamFixture.readFile(cache.resolve("registry"), tmp.resolve("read2"),
        "nova-api", "current-tripleo-rdo", UpstreamFixture.NOVA_FILE);
    assertThat(upstreamCopy).contains("max_count = 1\n");

    String rewritten = Files.readString(env);
    String local = first.localRegistry();
    assertThat(rewritten)
        .contains("ContainerNovaApiImage: " + local + "/tripleomaster/centos-binary-nova-api:apex")
        .contains("DockerNeutronApiImage: " + local + "/tripleomaster/centos-binary-neutron-server:apex")
        .contains("ContainerNovajoinImage: " + local
            + "/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo")
        .contains("# images for the overcloud");
    Path report = cache.resolve(PrepareReport.FILE_NAME);
    assertThat(Files.readString(report)).contains("\"nova-api\"").contains("\"patched\"");

    List<String> storeBefore = files(cache.resolve("registry"));
    PrepareReport second = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

    Map<String, ImageOutcome> again = byService(second);
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server")) {
      assertThat(again.get(s).action()).as(s + ": " + again.get(s).reason()).isEqualTo(Action.UNCHANGED);
      assertThat(again.get(s).apexDigest()).isEqualTo(rows.get(s).apexDigest());
    }
    assertThat(again.get("novajoin-server").action()).isEqualTo(Action.UNCHANGED);
    assertThat(Files.readString(report)).contains("\"unchanged\"").doesNotContain("\"patched\"");
    assertThat(files(cache.resolve("registry"))).as("nothing pushed").isEqualTo(storeBefore);
  }

  /** Every regular file of the store with its size: a push would add a blob or a link. */
  private static List<String> files(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> {
        try {
          return root.relativize(p) + " " + Files.size(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  @Test
  void prepare_noFetchAfterFirstRun_needsNoUpstream() throws Exception {
    PrepareReport first = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));
    assertThat(first.exitCode()).isZero();
    fixture.stopUpstream();

    PrepareReport offline = UpstreamFixture.prepareOffline(fixture.settings(),
        PrepareOptions.of(cache));

    Map<String, ImageOutcome> rows = byService(offline);
    assertThat(rows.get("nova-api").action()).as(rows.get("nova-api").reason())
        .isEqualTo(Action.UNCHANGED);
    assertThat(rows.get("novajoin-server").action()).isEqualTo(Action.CACHED);
    assertThat(offline.exitCode()).isZero();
  }

  @Test
  void prepare_embeddedRegistry_readsLayersInPlace_andASecondRunBuildsNoIndex() throws Exception {
    PrepareReport first = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));
    assertThat(first.exitCode()).isZero();
    fixture.stopUpstream();
    Path indexDir = cache.resolve("layer-index/v2/sha256");
    Map<String, java.nio.file.attribute.FileTime> indexed = modified(indexDir);
    assertThat(indexed).isNotEmpty();
    // A changed patch makes the second run patch neutron-server again: it reads file contents.
    Path neutronPatch = fixture.settingsFile.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("+    timeout = 60", "+    timeout = 90"));
    List<String> gets = new CopyOnWriteArrayList<>();

    PrepareReport second;
    try (AccessLog log = AccessLog.capture(gets::add)) {
      second = UpstreamFixture.prepareOffline(fixture.settings(), PrepareOptions.of(cache));
    }

    assertThat(byService(second).get("neutron-server").action())
        .as(byService(second).get("neutron-server").reason()).isEqualTo(Action.PATCHED);
    assertThat(gets).as("requests to the embedded registry").isNotEmpty()
        .noneMatch(line -> line.startsWith("GET ") && indexed.keySet().stream()
            .anyMatch(hex -> line.contains("/blobs/sha256:" + hex)));
    assertThat(modified(indexDir)).as("no index rebuilt").isEqualTo(indexed);
  }

  private static Map<String, java.nio.file.attribute.FileTime> modified(Path dir) throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
        try {
          return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }
  }

  /** The registry server's access log (System.Logger over java.util.logging, at DEBUG). */
  private static final class AccessLog extends java.util.logging.Handler implements AutoCloseable {
    private static final java.util.logging.Logger LOGGER =
        java.util.logging.Logger.getLogger("dev.refit.registry.server.access");
    private final java.util.function.Consumer<String> sink;
    private final java.util.logging.Level before = LOGGER.getLevel();

    private AccessLog(java.util.function.Consumer<String> sink) {
      this.sink = sink;
    }

    static AccessLog capture(java.util.function.Consumer<String> sink) {
      AccessLog log = new AccessLog(sink);
      LOGGER.setLevel(java.util.logging.Level.FINE);
      LOGGER.addHandler(log);
      return log;
    }

    @Override
    public void publish(java.util.logging.LogRecord record) {
      sink.accept(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      LOGGER.removeHandler(this);
      LOGGER.setLevel(before);
    }
  }

  @Test
  void prepare_noFetchOnEmptyCache_failsListingEveryMissingRef() {
    assertThatThrownBy(() -> UpstreamFixture.prepareOffline(fixture.settings(),
        PrepareOptions.of(cache)))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CacheMissException.class)
        .satisfies(e -> assertThat(((CacheMissException) e).missing())
            .hasSize(UpstreamFixture.SERVICES.size())
            .anySatisfy(m -> assertThat(m).contains("centos-binary-nova-api"))
            .anySatisfy(m -> assertThat(m).contains("centos-binary-novajoin-server")));
    assertThat(cache.resolve(PrepareReport.FILE_NAME)).doesNotExist();
  }

  @Test
  void prepare_oneConflictingPatch_failsOnlyThatImage() throws Exception {
    // The neutron patch no longer matches the file in the image: a hunk conflict.
    Path neutronPatch = fixture.settingsFile.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("-    timeout = 30", "-    timeout = 45"));

    PrepareReport report = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

    Map<String, ImageOutcome> rows = byService(report);
    assertThat(rows.get("neutron-server").action()).isEqualTo(Action.FAILED);
    assertThat(rows.get("neutron-server").reason()).isNotBlank();
    assertThat(rows.get("neutron-server").apexDigest()).isNull();
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor")) {
      assertThat(rows.get(s).action()).as(s + ": " + rows.get(s).reason()).isEqualTo(Action.PATCHED);
    }
    assertThat(report.exitCode()).isEqualTo(1);
    assertThat(Files.readString(cache.resolve(PrepareReport.FILE_NAME))).contains("\"failed\"");
  }

  @Test
  void prepare_rerunWithSameInputs_answersBeforePatching_andAChangedPatchRebuilds() throws Exception {
    PrepareReport first = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));
    assertThat(first.exitCode()).isZero();
    List<JsonObject> events = new CopyOnWriteArrayList<>();

    PrepareReport second = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache),
        events::add);

    ImageOutcome nova = byService(second).get("nova-api");
    assertThat(nova.action()).isEqualTo(Action.UNCHANGED);
    assertThat(nova.reason()).startsWith("same inputs");
    assertThat(nova.apexDigest()).isEqualTo(byService(first).get("nova-api").apexDigest());
    assertThat(nova.patches()).isEqualTo(byService(first).get("nova-api").patches());
    assertThat(events).filteredOn(e -> "nova-api".equals(e.getString("service")))
        .as("no patch or rebuild stage: the layers are not read")
        .noneMatch(e -> "patch".equals(e.getString("stage")) || "rebuild".equals(e.getString("stage")));

    // A changed neutron patch changes the inputs: neutron-server is rebuilt, nova is not.
    Path neutronPatch = fixture.settingsFile.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("+    timeout = 60", "+    timeout = 90"));
    PrepareReport third = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

    assertThat(byService(third).get("neutron-server").action())
        .as(byService(third).get("neutron-server").reason()).isEqualTo(Action.PATCHED);
    assertThat(byService(third).get("neutron-server").apexDigest())
        .isNotEqualTo(byService(first).get("neutron-server").apexDigest());
    assertThat(byService(third).get("nova-api").reason()).startsWith("same inputs");
  }

  @Test
  void prepare_sameStoreReachedByUrl_answersUnchangedFromTheInputKeys() throws Exception {
    PrepareReport first = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));
    assertThat(first.exitCode()).isZero();
    List<JsonObject> events = new CopyOnWriteArrayList<>();

    // The store the embedded run wrote, now served by a separate registry and named by URL.
    try (var served = dev.refit.registry.testkit.InProcessRegistry.start(
        dev.refit.registry.server.RegistryConfig.defaults(cache.resolve("registry")))) {
      var loaded = fixture.settings();
      var byUrl = new dev.refit.settings.LoadedSettings(loaded.deploy(), loaded.common(), loaded.patches(),
          loaded.config().withLocalRegistry(dev.refit.settings.config.LocalRegistryConfig.external(
              java.net.URI.create("http://" + served.hostPort()))));
      PrepareReport second = UpstreamFixture.prepare(byUrl, PrepareOptions.of(cache), events::add);

      for (String s : List.of("nova-api", "nova-compute", "neutron-server")) {
        ImageOutcome o = byService(second).get(s);
        assertThat(o.action()).as(s + ": " + o.reason()).isEqualTo(Action.UNCHANGED);
        assertThat(o.reason()).as(s).startsWith("same inputs");
        assertThat(o.apexDigest()).isEqualTo(byService(first).get(s).apexDigest());
      }
      assertThat(events).as("no image is patched or rebuilt")
          .noneMatch(e -> "patch".equals(e.getString("stage")) || "rebuild".equals(e.getString("stage")));
    }
  }

  @Test
  void prepare_jobEvents_everyImageStartsQueuedAndEndsWithOneResultOrFailure() throws Exception {
    Path neutronPatch = fixture.settingsFile.resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("-    timeout = 30", "-    timeout = 45"));
    List<JsonObject> events = new CopyOnWriteArrayList<>();

    PrepareReport report = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache),
        events::add);

    StringWriter lines = new StringWriter();
    try (JsonLinesRenderer json = new JsonLinesRenderer(new PrintWriter(lines))) {
      events.forEach(json::render);
    }
    Map<String, List<JsonObject>> perImage = lines.toString().lines().map(JsonObject::new)
        .filter(e -> e.getString("service") != null)
        .collect(Collectors.groupingBy(e -> e.getString("service")));
    assertThat(perImage.keySet()).containsExactlyInAnyOrderElementsOf(UpstreamFixture.SERVICES);
    perImage.forEach((service, sequence) -> {
      assertThat(sequence.get(0).getString("type")).as(service).isEqualTo(JobEvents.QUEUED);
      assertThat(JobEvents.isFinal(sequence.get(sequence.size() - 1))).as(service).isTrue();
      assertThat(sequence.stream().filter(JobEvents::isFinal)).as(service).hasSize(1);
    });
    assertThat(last(perImage.get("neutron-server")).getString("type")).isEqualTo(JobEvents.FAILURE);
    assertThat(last(perImage.get("nova-api")).getString("action")).isEqualTo("patched");
    assertThat(perImage.get("nova-api")).map(e -> e.getString("stage"))
        .containsSubsequence("fetch", "plan", "patch", "rebuild");
    assertThat(perImage.get("nova-api")).filteredOn(e -> "fetch".equals(e.getString("stage")))
        .singleElement().satisfies(e -> assertThat(e.getLong("bytes")).isPositive());
    assertThat(last(events)).isEqualTo(JobEvents.done(report.exitCode()));
  }

  private static JsonObject last(List<JsonObject> events) {
    return events.get(events.size() - 1);
  }

  @Test
  void prepare_patchSeriesOnOneFile_appliesEachOverThePrevious() throws Exception {
    Path settingsDir = fixture.settingsFile.getParent();
    Files.writeString(settingsDir.resolve("nova-followup.patch"), String.join("\n",
        "diff --git a/nova/api/openstack/compute/servers.py b/nova/api/openstack/compute/servers.py",
        "--- a/nova/api/openstack/compute/servers.py",
        "+++ b/nova/api/openstack/compute/servers.py",
        "@@ -2,3 +2,3 @@",
        "     def create(self, req, body):",
        "-        max_count = body.get('max_count', 1)",
        "+        max_count = int(body.get('max_count', 1))",
        "         return self._create(req, body, max_count)",
        ""));
    String deploy = Files.readString(fixture.settingsFile);
    Files.writeString(fixture.settingsFile, deploy.replace("        file: nova-servers.patch\n",
        "        file: nova-servers.patch\n"
            + "      - change-id: I1111111111111111111111111111111111111111\n"
            + "        project: openstack/nova\n"
            + "        file: nova-followup.patch\n"));

    PrepareReport report = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

    ImageOutcome nova = byService(report).get("nova-api");
    assertThat(nova.action()).as(nova.reason()).isEqualTo(Action.PATCHED);
    assertThat(nova.patches()).hasSize(2);
    String patched = UpstreamFixture.readFile(cache.resolve("registry"), tmp.resolve("read"),
        "nova-api", "apex", UpstreamFixture.NOVA_FILE);
    assertThat(patched).contains("        max_count = int(body.get('max_count', 1))\n")
        .doesNotContain("max_count = body.get");
  }

  @Test
  void prepare_installTree_laysFilesOverTheImage() throws Exception {
    Path settingsDir = fixture.settingsFile.getParent();
    Path pkg = Files.createDirectories(settingsDir.resolve(
        "novajoin-tree/usr/lib/python3.6/site-packages/novajoin"));
    Files.writeString(pkg.resolve("__init__.py"), "VERSION = '2'\n");
    Files.writeString(pkg.resolve("extra.py"), "def extra():\n    return 1\n");
    // etc/novajoin is root:nova 0750 in the image; a file laid below it must not change that.
    Files.writeString(Files.createDirectories(settingsDir.resolve("novajoin-tree/etc/novajoin"))
        .resolve("join-extra.conf"), "[DEFAULT]\n");
    String deploy = Files.readString(fixture.settingsFile);
    Files.writeString(fixture.settingsFile, deploy.replace("        file: nova-servers.patch\n",
        "        file: nova-servers.patch\n"
            + "      - change-id: I2222222222222222222222222222222222222222\n"
            + "        project: openstack/novajoin\n"
            + "        tree: novajoin-tree\n"));

    PrepareReport report = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

    ImageOutcome novajoin = byService(report).get("novajoin-server");
    assertThat(novajoin.action()).as(novajoin.reason()).isEqualTo(Action.PATCHED);
    Path registry = cache.resolve("registry");
    String base = "usr/lib/python3.6/site-packages/novajoin/";
    assertThat(UpstreamFixture.readFile(registry, tmp.resolve("r1"), "novajoin-server", "apex",
        base + "__init__.py")).isEqualTo("VERSION = '2'\n");
    assertThat(UpstreamFixture.readFile(registry, tmp.resolve("r2"), "novajoin-server", "apex",
        base + "extra.py")).contains("def extra()");
    dev.refit.patches.fs.FileEntry etc = UpstreamFixture.readEntry(registry, tmp.resolve("r3"),
        "novajoin-server", "apex", "etc/novajoin");
    assertThat(etc.isDirectory()).isTrue();
    assertThat(Integer.toOctalString(etc.mode() & 07777)).as("the base's mode of /etc/novajoin").isEqualTo("750");
    assertThat(etc.uid() + ":" + etc.gid()).as("the base's owner of /etc/novajoin").isEqualTo("0:42436");
    assertThat(byService(report).get("nova-api").action()).isEqualTo(Action.PATCHED);
  }
}
