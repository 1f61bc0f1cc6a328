package dev.refit.pipeline.rebuild;

import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.API_PY;
import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.BASE_REPO;
import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.changed;
import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.patches;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.image.LayerCache;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jib} builder, and that it gives the filesystem the daemonless builder gives. */
class JibRebuilderTest {
  @TempDir Path tmp;
  @RegisterExtension final RegistryKit kit = new RegistryKit();

  @Test
  void rebuild_sameRequestAsDaemonless_givesTheSameLayerDigest() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    PatchResult result = DaemonlessRebuilderTest.patchResult(tmp.resolve("files"));

    Manifest jib = build(jib("jib-work").withBaseFiles(baseFiles()), baseDigest, "refit/jib", result);
    Manifest ours = build(daemonless().withBaseFiles(baseFiles()), baseDigest, "refit/ours", result);

    assertThat(jib.layers()).hasSize(3);
    assertThat(ours.layers()).containsExactlyElementsOf(jib.layers());
    // The configs differ (history, builder label), the filesystem does not.
    assertThat(ours.config().digest()).isNotEqualTo(jib.config().digest());
  }

  @Test
  void rebuild_specialModes_sameEntriesAndModesAsDaemonless() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    Path dir = Files.createDirectories(tmp.resolve("special"));
    PatchResult special = new PatchResult(List.of(
        changed(dir, "usr/bin/nova-rootwrap", "#!/bin/sh\n", 04755, 0, 0),
        changed(dir, "var/lib/nova/shared", "s\n", 01777, 42436, 42436),
        changed(dir, "usr/lib/python3/site-packages/nova/api.py", API_PY, 0644, 0, 0)), List.of());

    Manifest jib = build(jib("jib-work"), baseDigest, "refit/jib", special);
    Manifest ours = build(daemonless(), baseDigest, "refit/ours", special);

    List<TestBase.Entry> jibEntries = kit.base().readLayerEntries("refit/jib", jib.layers().get(2).digest());
    List<TestBase.Entry> ourEntries = kit.base().readLayerEntries("refit/ours", ours.layers().get(2).digest());
    assertThat(ourEntries).usingRecursiveFieldByFieldElementComparatorIgnoringFields("content")
        .containsExactlyElementsOf(jibEntries);
    assertThat(ourEntries).filteredOn(e -> e.name().equals("usr/bin/nova-rootwrap"))
        .singleElement().satisfies(e -> assertThat(e.mode()).isEqualTo(04755));
    // FullModeLayer re-tars jib's layer; the writer's own bytes are the same.
    assertThat(ours.layers().get(2)).isEqualTo(jib.layers().get(2));
  }

  @Test
  void rebuild_afterARunStoppedBeforeTagging_onlyTagsTheFinishedBuild() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = request(baseDigest, "refit/jib", DaemonlessRebuilderTest.patchResult(tmp.resolve("f")));
    RebuildResult first = jib("work").rebuild(request);
    assertThat(first.builder()).isEqualTo("jib");
    assertThat(kit.registry().store().tags("refit/jib"))
        .containsExactlyInAnyOrder("apex", JibRebuilder.buildTag("apex", first.buildKey()));
    assertThat(kit.registry().store().delete("refit/jib", "apex")).isTrue();
    // A work dir that is a file: any jib build would fail, so success proves no build ran.
    Path notADir = Files.writeString(tmp.resolve("not-a-dir"), "x");

    RebuildResult resumed = JibRebuilder.of(kit.base().client(), notADir, "test-1").rebuild(request);

    assertThat(resumed.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(kit.base().manifest("refit/jib", "apex").digest()).isEqualTo(first.manifestDigest());
  }

  @Test
  void rebuild_buildTagHoldsOnlyJibsUnannotatedManifest_buildsAgain() throws Exception {
    Digest baseDigest = kit.base().pushNovaBase(BASE_REPO, "1");
    RebuildRequest request = request(baseDigest, "refit/jib", DaemonlessRebuilderTest.patchResult(tmp.resolve("f")));
    RebuildResult first = jib("work").rebuild(request);
    String buildTag = JibRebuilder.buildTag("apex", first.buildKey());
    Manifest annotated = Manifest.parse(kit.base().manifest("refit/jib", "apex").bytes());
    // Simulate a kill between jib's push and refit's annotation: the tag holds jib's manifest.
    RawManifest jibs = annotated.withAnnotations(Map.of()).toRaw();
    kit.registry().store().put("refit/jib", jibs, buildTag);
    assertThat(kit.registry().store().delete("refit/jib", "apex")).isTrue();
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    RebuildResult again = jib("work-2").withEvents(events::add).rebuild(request);

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest()).isNotEqualTo(jibs.digest());
    assertThat(kit.base().manifest("refit/jib", buildTag).digest()).isEqualTo(first.manifestDigest());
    // jib's own log lines reach the sink.
    assertThat(events).anySatisfy(m -> assertThat(m).contains(baseDigest.toString()));
  }

  private Manifest build(Rebuilder rebuilder, Digest baseDigest, String repo, PatchResult result) {
    RebuildResult built = rebuilder.rebuild(request(baseDigest, repo, result));
    return Manifest.parse(kit.base().manifest(repo, built.manifestDigest().toString()).bytes());
  }

  private RebuildRequest request(Digest baseDigest, String repo, PatchResult result) {
    return new RebuildRequest("nova-api", ImageRef.of(kit.registry().hostPort(), BASE_REPO, "1", baseDigest),
        repo, "apex", patches(), result, Map.of());
  }

  private JibRebuilder jib(String work) {
    return JibRebuilder.of(kit.base().client(), tmp.resolve(work), "test-1");
  }

  private DaemonlessRebuilder daemonless() {
    return DaemonlessRebuilder.of(kit.base().client(), tmp.resolve("work"), "test-1");
  }

  private BaseFiles baseFiles() throws IOException {
    return BaseFiles.fromRegistry(new BlockingRegistry(kit.base().client(), Duration.ofSeconds(60)),
        new LayerCache(Files.createDirectories(tmp.resolve("layers"))),
        Files.createDirectories(tmp.resolve("pull")));
  }
}
