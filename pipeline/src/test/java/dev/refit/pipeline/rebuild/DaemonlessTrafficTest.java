package dev.refit.pipeline.rebuild;

import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.BASE_REPO;
import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.TARGET_REPO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one daemonless rebuild sends to the embedded registry (issue 9, section 4, "One push per
 * build"): each new blob uploaded once, one manifest PUT, nothing of the base or the result read
 * back but the base manifest and config; and what the next one sends after one file of a large
 * install/ tree changed.
 */
class DaemonlessTrafficTest {
  static final int MIB = 1 << 20;

  @TempDir Path tmp;
  @RegisterExtension final RegistryKit kit = new RegistryKit();
  private CountingHttpProxy proxy;
  private RegistryClient viaProxy;

  @BeforeEach
  void setUp() throws IOException {
    proxy = CountingHttpProxy.start(kit.registry().vertx(), kit.registry().port());
    String hostPort = "127.0.0.1:" + proxy.port();
    viaProxy = RegistryClient.create(kit.registry().vertx(), hostPort,
        ClientOptions.defaults().withPlainHttpHosts(Set.of(hostPort)).withDockerConfigDir(null));
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void rebuild_oneImage_uploadsEachNewBlobOnceAndPutsOneManifest() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    Manifest baseManifest = Manifest.parse(kit.base().manifest(BASE_REPO, baseDigest.toString()).bytes());

    RebuildResult result = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work"), "test-1")
        .rebuild(request(baseDigest));

    List<String> sent = proxy.requests();
    Manifest built = Manifest.parse(kit.base().manifest(TARGET_REPO, result.manifestDigest().toString()).bytes());
    Descriptor layer = built.layers().get(2);
    // One upload per new blob (the delta layer, the config), each a POST and a monolithic PUT.
    assertThat(sent).filteredOn(r -> r.startsWith("PUT /v2/" + TARGET_REPO + "/blobs/uploads/"))
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).contains(layer.digest().hex()))
        .anySatisfy(r -> assertThat(r).contains(built.config().digest().hex()));
    assertThat(sent).filteredOn(r -> r.startsWith("POST /v2/" + TARGET_REPO + "/blobs/uploads/") && !r.contains("mount="))
        .hasSize(2);
    assertThat(sent).noneMatch(r -> r.startsWith("PATCH "));
    // One manifest PUT, under the tag; the built image is never read back.
    assertThat(sent).filteredOn(r -> r.startsWith("PUT ") && r.contains("/manifests/"))
        .containsExactly("PUT /v2/" + TARGET_REPO + "/manifests/apex");
    assertThat(sent).noneMatch(r -> r.startsWith("GET /v2/" + TARGET_REPO + "/"));
    // Of the base, only the manifest and the config are read; its layers are mounted.
    assertThat(sent).filteredOn(r -> r.startsWith("GET ") && r.contains("/blobs/"))
        .containsExactly("GET /v2/" + BASE_REPO + "/blobs/" + baseManifest.config().digest());
    assertThat(sent).filteredOn(r -> r.contains("mount=")).hasSize(baseManifest.layers().size());
  }

  @Test
  void rebuild_afterARunStoppedBeforeTagging_uploadsNothingAndPutsOneManifest() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    RebuildResult first = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work"), "test-1")
        .rebuild(request(baseDigest));
    assertThat(kit.registry().store().delete(TARGET_REPO, "apex")).isTrue();
    proxy.clear();

    RebuildResult again = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work-2"), "test-1")
        .rebuild(request(baseDigest));

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    List<String> sent = proxy.requests();
    assertThat(sent).noneMatch(r -> r.startsWith("POST ") || r.startsWith("PATCH "));
    assertThat(sent).filteredOn(r -> r.startsWith("PUT "))
        .containsExactly("PUT /v2/" + TARGET_REPO + "/manifests/apex");
  }

  // The seed dev loop (issue 9, section 3): an install/ tree large enough for LayerPartition to
  // split, then the same tree with one file rewritten.

  @Test
  void rebuild_afterOneBigFileOfALargeTreeChanged_uploadsOnlyItsLayerAndTheConfig() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    Map<String, byte[]> tree = tree();
    RebuildResult first = rebuild(baseDigest, tree, "one");
    Manifest one = manifest(first);
    assertThat(one.layers()).hasSizeGreaterThan(3);

    byte[] osd = tree.get("usr/bin/ceph-osd").clone();
    osd[osd.length / 2] ^= 1;
    tree.put("usr/bin/ceph-osd", osd);
    proxy.clear();
    RebuildResult second = rebuild(baseDigest, tree, "two");
    Manifest two = manifest(second);

    assertThat(two.layers()).hasSameSizeAs(one.layers());
    List<Descriptor> added = new ArrayList<>(two.layers());
    added.removeAll(one.layers());
    assertThat(added).hasSize(1);
    assertThat(added.get(0).size()).isBetween((long) 10 * MIB, (long) 11 * MIB);
    List<String> uploads = proxy.requests().stream()
        .filter(r -> r.startsWith("PUT /v2/" + TARGET_REPO + "/blobs/uploads/")).toList();
    assertThat(uploads).hasSize(2)
        .anySatisfy(r -> assertThat(r).contains(added.get(0).digest().hex()))
        .anySatisfy(r -> assertThat(r).contains(two.config().digest().hex()));
  }

  @Test
  void rebuild_withLayerMemo_writesOnlyTheChangedLayer_andRewritesOneTheRegistryLost()
      throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    Map<String, byte[]> tree = tree();
    Path cache = tmp.resolve("cache");
    List<String> firstEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
    Manifest one = manifest(memoRebuild(baseDigest, tree, "one", cache, firstEvents));
    assertThat(firstEvents).noneMatch(e -> e.contains("existed (same content"));

    byte[] osd = tree.get("usr/bin/ceph-osd").clone();
    osd[osd.length / 2] ^= 1;
    tree.put("usr/bin/ceph-osd", osd);
    // The registry loses one unchanged layer: the memo must not be trusted for it.
    Descriptor lost = one.layers().get(one.layers().size() - 1);
    Files.delete(kit.registry().store().stat(lost.digest()).orElseThrow().path());
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Manifest two = manifest(memoRebuild(baseDigest, tree, "two", cache, events));

    List<Descriptor> added = new ArrayList<>(two.layers());
    added.removeAll(one.layers());
    assertThat(added).as("only ceph-osd's layer is new").hasSize(1);
    long reused = events.stream().filter(e -> e.contains("existed (same content")).count();
    assertThat(reused).as("every unchanged layer but the lost one comes from the memo")
        .isEqualTo(two.layers().size() - baseLayers(baseDigest) - 2);
    assertThat(kit.registry().store().stat(lost.digest())).as("the lost layer was written again").isPresent();
    assertThat(two.layers()).as("the same image as without the memo")
        .isEqualTo(manifest(rebuild(baseDigest, tree, "three")).layers());
  }

  private int baseLayers(Digest baseDigest) {
    return Manifest.parse(kit.base().manifest(BASE_REPO, baseDigest.toString()).bytes()).layers().size();
  }

  private RebuildResult memoRebuild(Digest baseDigest, Map<String, byte[]> tree, String work,
      Path cache, List<String> events) throws IOException {
    PatchResult result = result(tree, tmp.resolve(work).resolve("files"));
    return DaemonlessRebuilder.of(viaProxy, tmp.resolve(work), "test-1").withLayerMemo(cache)
        .withEvents(events::add).rebuild(request(baseDigest, result));
  }

  @Test
  void rebuild_sameTreeInAnotherWorkDir_givesTheSameDigest() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    Map<String, byte[]> tree = tree();
    RebuildResult first = rebuild(baseDigest, tree, "one");
    assertThat(kit.registry().store().delete(TARGET_REPO, "apex")).isTrue();

    RebuildResult again = rebuild(baseDigest, tree, "elsewhere/two");

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
  }

  @Test
  void buildKey_splitResultNamesTheRule_smallResultKeepsItsKey() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    DaemonlessRebuilder rebuilder = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work"), "test-1");
    RebuildRequest small = request(baseDigest, DaemonlessRebuilderTest.patchResult(tmp.resolve("files")));
    RebuildRequest large = request(baseDigest, result(tree(), tmp.resolve("large")));

    assertThat(rebuilder.buildKey(small)).isEqualTo(BuildKey.of(baseDigest, small.patches(),
        small.result(), DaemonlessRebuilder.NAME, Map.of("daemonless.parents", "default")));
    assertThat(rebuilder.buildKey(large)).isEqualTo(BuildKey.of(baseDigest, large.patches(),
        large.result(), DaemonlessRebuilder.NAME, Map.of("daemonless.parents", "default",
            DaemonlessRebuilder.LAYERS_OPTION, LayerPartition.RULE)));
  }

  /** 24 MiB of 96 files of 256 KiB, and a 10 MiB binary; random, so gzip cannot shrink them. */
  private static Map<String, byte[]> tree() {
    Random random = new Random(9);
    Map<String, byte[]> tree = new TreeMap<>();
    for (int i = 0; i < 96; i++) {
      byte[] b = new byte[256 << 10];
      random.nextBytes(b);
      tree.put("usr/lib/python3/dist-packages/ceph/m" + i + ".py", b);
    }
    byte[] osd = new byte[10 * MIB];
    random.nextBytes(osd);
    tree.put("usr/bin/ceph-osd", osd);
    return tree;
  }

  private RebuildResult rebuild(Digest baseDigest, Map<String, byte[]> tree, String work)
      throws IOException {
    PatchResult result = result(tree, tmp.resolve(work).resolve("files"));
    return DaemonlessRebuilder.of(viaProxy, tmp.resolve(work), "test-1").rebuild(request(baseDigest, result));
  }

  private static PatchResult result(Map<String, byte[]> tree, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<ChangedFile> files = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : tree.entrySet()) {
      Path file = dir.resolve("f" + files.size());
      Files.write(file, e.getValue());
      files.add(new ChangedFile(e.getKey(), file, 0644, 0, 0, e.getValue().length, Digest.sha256(e.getValue())));
    }
    return new PatchResult(files, List.of());
  }

  private Manifest manifest(RebuildResult r) {
    return Manifest.parse(kit.base().manifest(TARGET_REPO, r.manifestDigest().toString()).bytes());
  }

  private RebuildRequest request(Digest baseDigest) throws IOException {
    return request(baseDigest, DaemonlessRebuilderTest.patchResult(tmp.resolve("files")));
  }

  private RebuildRequest request(Digest baseDigest, PatchResult result) {
    return new RebuildRequest("nova-api", ImageRef.of(kit.registry().hostPort(), BASE_REPO, "1", baseDigest),
        TARGET_REPO, "apex", DaemonlessRebuilderTest.patches(), result, Map.of());
  }
}
