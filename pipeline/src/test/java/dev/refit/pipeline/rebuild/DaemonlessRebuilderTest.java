package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.image.LayerCache;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonlessRebuilderTest {
  static final String BASE_REPO = "openstack/nova-api";
  static final String TARGET_REPO = "refit/nova-api";
  static final String API_PY = "def api():\n    return 2  # patched\n";
  static final String LONG_PATH = "usr/lib/python3/site-packages/nova/" + "d".repeat(60) + "/"
      + "helper-with-a-long-name-".repeat(3) + "bin";
  static final String NEW_PY = "#!/usr/bin/env python3\nprint('new')\n";

  @TempDir Path tmp;
  private InProcessRegistry registry;
  private TestBase base;

  @BeforeEach
  void setUp() throws IOException {
    registry = InProcessRegistry.start(tmp.resolve("registry"));
    base = new TestBase(registry, Files.createDirectories(tmp.resolve("kit")));
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void rebuild_changedAndDeletedFiles_deltaLayerCarriesContentModeOwnerAndWhiteouts() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildResult result = rebuilder(tmp.resolve("work")).rebuild(request(baseDigest, Map.of()));

    assertThat(result.skipped()).isFalse();
    assertThat(result.builder()).isEqualTo("daemonless");
    assertThat(result.reference()).isEqualTo(TARGET_REPO + ":apex@" + result.manifestDigest());
    RawManifest apex = base.manifest(TARGET_REPO, "apex");
    assertThat(apex.digest()).isEqualTo(result.manifestDigest());
    Manifest m = Manifest.parse(apex.bytes());
    Manifest baseManifest = Manifest.parse(base.manifest(BASE_REPO, baseDigest.toString()).bytes());
    assertThat(m.layers()).hasSize(3);
    assertThat(m.layers().subList(0, 2).stream().map(Descriptor::digest))
        .containsExactlyElementsOf(baseManifest.layers().stream().map(Descriptor::digest).toList());

    Map<String, TestBase.Entry> delta = base.readLayer(TARGET_REPO, m.layers().get(2).digest());
    TestBase.Entry api = delta.get("usr/lib/python3/site-packages/nova/api.py");
    assertThat(api.text()).isEqualTo(API_PY);
    assertThat(api.mode()).isEqualTo(0644);
    assertThat(api.uid()).isZero();
    TestBase.Entry conf = delta.get("var/lib/nova/nova.conf");
    assertThat(conf.text()).isEqualTo("[DEFAULT]\ndebug = True\n");
    assertThat(conf.mode()).isEqualTo(0640);
    assertThat(conf.uid()).isEqualTo(42436);
    assertThat(conf.gid()).isEqualTo(42436);
    TestBase.Entry added = delta.get("usr/lib/python3/site-packages/nova/cmd/new.py");
    assertThat(added.text()).isEqualTo(NEW_PY);
    assertThat(added.mode()).isEqualTo(0755);
    TestBase.Entry whiteout = delta.get("usr/lib/python3/site-packages/nova/.wh.old.py");
    assertThat(whiteout).isNotNull();
    assertThat(whiteout.content()).isEmpty();
    assertThat(delta.keySet()).doesNotContain("usr/lib/python3/site-packages/nova/old.py");
    // Fixed timestamps: every entry carries epoch + 1 s, never the build time.
    assertThat(delta.values()).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(1L));
    // Sorted entries.
    List<String> files = delta.keySet().stream().filter(n -> !n.endsWith("/")).toList();
    assertThat(files).isSorted();
  }

  @Test
  void rebuild_inheritsBaseConfig_andRecordsProvenanceInLabelsAndAnnotations() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = request(baseDigest, Map.of("style", "copy"));
    RebuildResult result = rebuilder(tmp.resolve("work")).rebuild(request);

    Manifest m = Manifest.parse(base.manifest(TARGET_REPO, "apex").bytes());
    ImageConfig config = ImageConfig.parse(base.blob(TARGET_REPO, m.config().digest()));
    ImageConfig.RunConfig run = config.config();
    assertThat(run.user()).isEqualTo("nova");
    assertThat(run.entrypoint()).containsExactly("dumb-init", "--");
    assertThat(run.cmd()).containsExactly("kolla_start");
    assertThat(run.env()).contains("PATH=/usr/bin:/bin", "KOLLA_SERVICE=nova-api");
    assertThat(run.workingDir()).isEqualTo("/var/lib/nova");
    assertThat(run.labels()).containsEntry("name", "nova-api").containsEntry("build-date", "20240102");
    assertThat(config.diffIds()).hasSize(3);

    String key = rebuilder(tmp.resolve("work")).buildKey(request);
    assertThat(result.buildKey()).isEqualTo(key);
    Map<String, String> expected =
        Map.of(
            Provenance.BASE_NAME, BASE_REPO + ":1",
            Provenance.BASE_DIGEST, baseDigest.toString(),
            Provenance.BUILDER, "daemonless",
            Provenance.VERSION, "test-1",
            Provenance.BUILD_KEY, key);
    assertThat(run.labels()).containsAllEntriesOf(expected);
    assertThat(m.annotations()).containsAllEntriesOf(expected);
    assertThat(m.annotations().get(Provenance.PATCHES))
        .isEqualTo(run.labels().get(Provenance.PATCHES))
        .contains("\"id\":\"I0a1b2c\"", "\"revision\":\"3f2a\"", "\"sha256\":\"" + patchDigest() + "\"");
    // Created at the epoch, one history entry naming refit, and no other tag than apex.
    assertThat(config.created()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(config.history()).hasSize(3);
    assertThat(config.history().get(2).createdBy()).contains("refit", "test-1");
    assertThat(config.history().get(0).createdBy()).isEqualTo("base");
    assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(m.config().mediaType()).isEqualTo(MediaType.OCI_CONFIG);
    assertThat(registry.store().tags(TARGET_REPO)).containsExactly("apex");
  }

  @Test
  void rebuild_sameInputsIntoTwoFreshRegistries_giveTheSameDigest() throws Exception {
    Digest first;
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    first = rebuilder(tmp.resolve("work-a")).rebuild(request(baseDigest, Map.of())).manifestDigest();

    try (InProcessRegistry other = InProcessRegistry.start(tmp.resolve("registry-b"))) {
      TestBase otherBase = new TestBase(other, Files.createDirectories(tmp.resolve("kit-b")));
      Digest otherBaseDigest = otherBase.pushNovaBase(BASE_REPO, "1");
      assertThat(otherBaseDigest).isEqualTo(baseDigest);
      RebuildRequest request =
          new RebuildRequest("nova-api", ImageRef.of(other.hostPort(), BASE_REPO, "1", otherBaseDigest),
              TARGET_REPO, "apex", patches(), patchResult(tmp.resolve("files-b")), Map.of());
      Digest second =
          DaemonlessRebuilder.of(otherBase.client(), tmp.resolve("work-b"), "test-1")
              .rebuild(request).manifestDigest();
      assertThat(second).isEqualTo(first);
    }
    // A different input must give a different digest, or the equality above proves nothing.
    Digest changed =
        rebuilder(tmp.resolve("work-c")).rebuild(request(baseDigest, Map.of("style", "other"))).manifestDigest();
    assertThat(changed).isNotEqualTo(first);
  }

  @Test
  void rebuild_secondRunWithSameBuildKey_isSkippedAndPushesNothing() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = request(baseDigest, Map.of());
    RebuildResult first = rebuilder(tmp.resolve("work")).rebuild(request);

    RebuildResult second = rebuilder(tmp.resolve("work-2")).rebuild(request);

    assertThat(second.skipped()).isTrue();
    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.buildKey()).isEqualTo(first.buildKey());
    assertThat(registry.store().tags(TARGET_REPO)).containsExactly("apex");
    assertThat(tmp.resolve("work-2")).doesNotExist();

    // A changed option changes the key: built and pushed again.
    RebuildResult third = rebuilder(tmp.resolve("work-3")).rebuild(request.withOptions(Map.of("k", "v")));
    assertThat(third.skipped()).isFalse();
    assertThat(third.buildKey()).isNotEqualTo(first.buildKey());
    assertThat(base.manifest(TARGET_REPO, "apex").digest()).isEqualTo(third.manifestDigest());
  }

  @Test
  void rebuild_afterARunStoppedBeforeTagging_findsEveryBlobAndPutsOnlyTheManifest() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = request(baseDigest, Map.of());
    RebuildResult first = rebuilder(tmp.resolve("work")).rebuild(request);
    // A run killed before its manifest PUT leaves the blobs and no tag.
    assertThat(registry.store().delete(TARGET_REPO, "apex")).isTrue();
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    RebuildResult resumed = rebuilder(tmp.resolve("work-2")).withEvents(events::add).rebuild(request);

    assertThat(resumed.skipped()).isFalse();
    assertThat(resumed.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(base.manifest(TARGET_REPO, "apex").digest()).isEqualTo(first.manifestDigest());
    assertThat(events).filteredOn(e -> e.startsWith("layer ") || e.startsWith("config "))
        .hasSize(2).allSatisfy(e -> assertThat(e).endsWith(": existed"));
  }

  @Test
  void rebuild_baseInSameRegistry_baseLayersAreNotDownloadedButLinkedIntoTarget() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    Manifest baseManifest = Manifest.parse(base.manifest(BASE_REPO, baseDigest.toString()).bytes());
    for (Descriptor l : baseManifest.layers()) {
      assertThat(registry.store().isLinked(TARGET_REPO, l.digest())).isFalse();
    }
    Path work = tmp.resolve("work");
    rebuilder(work).rebuild(request(baseDigest, Map.of()));

    for (Descriptor l : baseManifest.layers()) {
      assertThat(registry.store().isLinked(TARGET_REPO, l.digest())).isTrue();
    }
    // No base layer was pulled into the work dir.
    try (Stream<Path> files = Files.walk(work)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      for (Descriptor l : baseManifest.layers()) {
        assertThat(names).doesNotContain(l.digest().hex());
      }
    }
  }

  @Test
  void rebuild_withBaseFiles_parentDirectoriesKeepTheBaseOwnerAndMode() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    BaseFiles files = BaseFiles.fromRegistry(new dev.refit.registry.client.BlockingRegistry(base.client(), java.time.Duration.ofSeconds(60)),
        new LayerCache(Files.createDirectories(tmp.resolve("layers"))),
        Files.createDirectories(tmp.resolve("pull")));
    DaemonlessRebuilder withBase = rebuilder(tmp.resolve("work")).withBaseFiles(files);
    RebuildRequest request = request(baseDigest, Map.of());
    assertThat(withBase.buildKey(request)).isNotEqualTo(rebuilder(tmp.resolve("w")).buildKey(request));

    withBase.rebuild(request);

    Manifest m = Manifest.parse(base.manifest(TARGET_REPO, "apex").bytes());
    List<TestBase.Entry> delta = base.readLayerEntries(TARGET_REPO, m.layers().get(2).digest());
    Map<String, TestBase.Entry> byName = new java.util.HashMap<>();
    delta.forEach(e -> byName.put(e.name().endsWith("/") ? e.name().substring(0, e.name().length() - 1) : e.name(), e));
    assertThat(byName).hasSize(delta.size()); // no directory written twice
    TestBase.Entry nova = byName.get("var/lib/nova");
    assertThat(nova.mode()).isEqualTo(0750);
    assertThat(nova.uid()).isEqualTo(42436);
    assertThat(nova.gid()).isEqualTo(42436);
    assertThat(byName.get("usr/lib/python3/site-packages/nova").mode()).isEqualTo(0755);
    // A directory the base lacks is new: jib's root 0755.
    TestBase.Entry cmd = byName.get("usr/lib/python3/site-packages/nova/cmd");
    assertThat(cmd.mode()).isEqualTo(0755);
    assertThat(cmd.uid()).isZero();
    assertThat(byName.get("var/lib/nova/nova.conf").text()).isEqualTo("[DEFAULT]\ndebug = True\n");
  }

  @Test
  void rebuild_uncompressedBaseLayer_keepsItsMediaTypeInTheNewManifest() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1", "amd64", false);
    Manifest baseManifest = Manifest.parse(base.manifest(BASE_REPO, baseDigest.toString()).bytes());
    assertThat(baseManifest.layers().get(0).mediaType()).isEqualTo(MediaType.OCI_LAYER);

    rebuilder(tmp.resolve("work")).rebuild(request(baseDigest, Map.of()));

    Manifest m = Manifest.parse(base.manifest(TARGET_REPO, "apex").bytes());
    assertThat(m.layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaType.OCI_LAYER, MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_GZIP);
  }

  @Test
  void rebuild_withEvents_reportsTheBaseAndEachBlob() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    rebuilder(tmp.resolve("work")).withEvents(events::add).rebuild(request(baseDigest, Map.of()));
    assertThat(events).anySatisfy(m -> assertThat(m).contains(baseDigest.toString()));
    assertThat(events).anySatisfy(m -> assertThat(m).startsWith("layer sha256:").endsWith(": uploaded"));
  }

  @Test
  void rebuild_emptyPatchResult_publishesTheBaseLayersWithProvenanceOnly() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = new RebuildRequest("nova-api",
        ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest), TARGET_REPO, "apex", List.of(),
        PatchResult.empty(), Map.of());
    RebuildResult result = rebuilder(tmp.resolve("work")).rebuild(request);
    Manifest m = Manifest.parse(base.manifest(TARGET_REPO, "apex").bytes());
    Manifest baseManifest = Manifest.parse(base.manifest(BASE_REPO, baseDigest.toString()).bytes());
    // An empty result adds no layer (as jib does): the base layers alone.
    assertThat(m.layers()).containsExactlyElementsOf(baseManifest.layers());
    assertThat(m.annotations()).containsEntry(Provenance.BUILD_KEY, result.buildKey());
  }

  @Test
  void rebuild_setuidSetgidStickyFiles_keepTheirFullModeInTheDeltaLayerAndConfig() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    Path dir = Files.createDirectories(tmp.resolve("special"));
    PatchResult special = new PatchResult(
        List.of(
            changed(dir, "usr/bin/nova-rootwrap", "#!/bin/sh\necho rootwrap\n", 04755, 0, 0),
            changed(dir, "usr/bin/grouped", "#!/bin/sh\necho g\n", 02755, 0, 42436),
            changed(dir, "var/lib/nova/shared", "s\n", 01777, 42436, 42436),
            changed(dir, "usr/lib/python3/site-packages/nova/api.py", API_PY, 0644, 0, 0),
            changed(dir, LONG_PATH, "long\n", 04711, 0, 0)),
        List.of("usr/lib/python3/site-packages/nova/old.py"));
    RebuildRequest request = new RebuildRequest("nova-api",
        ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest), TARGET_REPO, "apex", patches(),
        special, Map.of());
    RebuildResult result = rebuilder(tmp.resolve("work")).rebuild(request);

    Manifest m = Manifest.parse(base.manifest(TARGET_REPO, "apex").bytes());
    assertThat(m.layers()).hasSize(3);
    Descriptor layer = m.layers().get(2);
    Map<String, TestBase.Entry> delta = base.readLayer(TARGET_REPO, layer.digest());
    assertThat(delta.get("usr/bin/nova-rootwrap").mode()).isEqualTo(04755);
    assertThat(delta.get("usr/bin/nova-rootwrap").text()).isEqualTo("#!/bin/sh\necho rootwrap\n");
    assertThat(delta.get("usr/bin/grouped").mode()).isEqualTo(02755);
    assertThat(delta.get("usr/bin/grouped").gid()).isEqualTo(42436);
    TestBase.Entry shared = delta.get("var/lib/nova/shared");
    assertThat(shared.mode()).isEqualTo(01777);
    assertThat(shared.uid()).isEqualTo(42436);
    assertThat(delta.get("usr/lib/python3/site-packages/nova/api.py").mode()).isEqualTo(0644);
    assertThat(delta.get("usr/lib/python3/site-packages/nova/.wh.old.py")).isNotNull();
    // A name beyond ustar's 100 bytes (a PAX header) is found and rewritten too.
    assertThat(delta.get(LONG_PATH).mode()).isEqualTo(04711);
    assertThat(delta.get(LONG_PATH).text()).isEqualTo("long\n");
    assertThat(delta.values()).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(1L));
    // The manifest's size and the config's diff_id describe the layer as written.
    byte[] blob = base.blob(TARGET_REPO, layer.digest());
    assertThat(layer.size()).isEqualTo(blob.length);
    byte[] tar;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(blob))) {
      tar = in.readAllBytes();
    }
    ImageConfig config = ImageConfig.parse(base.blob(TARGET_REPO, m.config().digest()));
    assertThat(config.diffIds()).hasSize(3);
    assertThat(config.diffIds().get(2)).isEqualTo(Digest.sha256(tar));
    assertThat(config.config().labels()).containsEntry(Provenance.BUILD_KEY, result.buildKey());
    assertThat(m.annotations()).containsEntry(Provenance.BUILD_KEY, result.buildKey());
    // The build key covers the modes, and the layer is reproducible.
    assertThat(result.buildKey()).isEqualTo(rebuilder(tmp.resolve("other")).buildKey(request));
    RebuildRequest again = new RebuildRequest("nova-api",
        ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest), "refit/nova-api-again", "apex",
        patches(), special, Map.of());
    assertThat(rebuilder(tmp.resolve("work-again")).rebuild(again).manifestDigest())
        .isEqualTo(result.manifestDigest());
  }

  // --- inputs ---

  private DaemonlessRebuilder rebuilder(Path work) {
    return DaemonlessRebuilder.of(base.client(), work, "test-1");
  }

  private RebuildRequest request(Digest baseDigest, Map<String, String> options) throws IOException {
    return new RebuildRequest("nova-api", ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest),
        TARGET_REPO, "apex", patches(), patchResult(tmp.resolve("files")), options);
  }

  private static Digest patchDigest() {
    return Digest.sha256("the nova patch".getBytes(StandardCharsets.UTF_8));
  }

  static List<AppliedPatch> patches() {
    return List.of(AppliedPatch.of("I0a1b2c", "gerrit openstack/nova~master~I0a1b2c revision 3f2a", patchDigest()));
  }

  static PatchResult patchResult(Path dir) throws IOException {
    Files.createDirectories(dir);
    return new PatchResult(
        List.of(
            changed(dir, "var/lib/nova/nova.conf", "[DEFAULT]\ndebug = True\n", 0640, 42436, 42436),
            changed(dir, "usr/lib/python3/site-packages/nova/api.py", API_PY, 0644, 0, 0),
            changed(dir, "usr/lib/python3/site-packages/nova/cmd/new.py", NEW_PY, 0755, 0, 0)),
        List.of("usr/lib/python3/site-packages/nova/old.py"));
  }

  static ChangedFile changed(Path dir, String path, String text, int mode, int uid, int gid)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(path.replace('/', '_'));
    Files.write(file, bytes);
    return new ChangedFile(path, file, mode, uid, gid, bytes.length, Digest.sha256(bytes));
  }
}
