package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.image.LayerCache;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiArchRebuildTest {
  static final String BASE_REPO = "openstack/nova-api";
  static final String TARGET_REPO = "refit/nova-api";

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
  void rebuild_indexBase_patchesRequestedPlatformsAndKeepsTheOthersWhenAsked() throws Exception {
    Digest indexDigest = base.pushNovaIndex(BASE_REPO, "1", "amd64", "arm64", "s390x");
    Index baseIndex = Index.parse(base.manifest(BASE_REPO, indexDigest.toString()).bytes());
    RebuildRequest request = request(indexDigest, Map.of(
        PlatformChoice.PLATFORMS, "linux/amd64,linux/arm64", PlatformChoice.UNREQUESTED, "keep"));

    RebuildResult result = rebuilder("work").rebuild(request);

    RawManifest apex = base.manifest(TARGET_REPO, "apex");
    assertThat(apex.digest()).isEqualTo(result.manifestDigest());
    Index index = Index.parse(apex.bytes());
    assertThat(index.annotations())
        .containsEntry(Provenance.BUILD_KEY, result.buildKey())
        .containsEntry(Provenance.BASE_DIGEST, indexDigest.toString())
        .containsEntry(PlatformChoice.UNREQUESTED, "keep");
    assertThat(index.manifests()).extracting(d -> d.platform().architecture())
        .containsExactly("amd64", "arm64", "s390x");
    for (int i = 0; i < 2; i++) {
      Descriptor child = index.manifests().get(i);
      assertThat(child.digest()).isNotEqualTo(baseIndex.manifests().get(i).digest());
      Manifest m = Manifest.parse(base.manifest(TARGET_REPO, child.digest().toString()).bytes());
      assertThat(m.layers()).hasSize(3);
      assertThat(m.annotations()).containsEntry(Provenance.BASE_DIGEST,
          baseIndex.manifests().get(i).digest().toString());
      ImageConfig config = ImageConfig.parse(base.blob(TARGET_REPO, m.config().digest()));
      assertThat(config.architecture()).isEqualTo(child.platform().architecture());
      assertThat(config.config().user()).isEqualTo("nova");
      assertThat(base.readLayer(TARGET_REPO, m.layers().get(2).digest()))
          .containsKey("usr/lib/python3/site-packages/nova/.wh.old.py");
    }
    // The unrequested platform is the base's own manifest, complete in the target repository.
    Descriptor kept = index.manifests().get(2);
    assertThat(kept.digest()).isEqualTo(baseIndex.manifests().get(2).digest());
    Manifest keptManifest = Manifest.parse(base.manifest(TARGET_REPO, kept.digest().toString()).bytes());
    for (Descriptor d : keptManifest.references()) {
      assertThat(registry.store().isLinked(TARGET_REPO, d.digest())).isTrue();
    }

    // Children are put by digest, the index once under apex: no build tags.
    assertThat(registry.store().tags(TARGET_REPO)).containsExactly("apex");

    // Same inputs again: the index carries the key, so nothing is rebuilt.
    assertThat(rebuilder("work-2").rebuild(request).skipped()).isTrue();
  }

  @Test
  void rebuild_indexBaseWithDrop_leavesOutUnrequestedPlatforms() throws Exception {
    Digest indexDigest = base.pushNovaIndex(BASE_REPO, "1", "amd64", "arm64");
    BaseFiles files = BaseFiles.fromRegistry(new dev.refit.registry.client.BlockingRegistry(base.client(), java.time.Duration.ofSeconds(60)),
        new LayerCache(Files.createDirectories(tmp.resolve("layers"))),
        Files.createDirectories(tmp.resolve("pull")));
    RebuildResult result = rebuilder("work").withBaseFiles(files)
        .rebuild(request(indexDigest, Map.of(PlatformChoice.PLATFORMS, "linux/arm64")));
    Index index = Index.parse(base.manifest(TARGET_REPO, "apex").bytes());
    assertThat(index.manifests()).extracting(d -> d.platform().architecture()).containsExactly("arm64");
    Manifest arm = Manifest.parse(base.manifest(TARGET_REPO, index.manifests().get(0).digest().toString()).bytes());
    TestBase.Entry nova = base.readLayer(TARGET_REPO, arm.layers().get(2).digest()).get("var/lib/nova/");
    assertThat(nova.mode()).isEqualTo(0750);
    assertThat(nova.uid()).isEqualTo(42436);
    assertThat(index.annotations()).containsEntry(PlatformChoice.UNREQUESTED, "drop");
    assertThat(result.skipped()).isFalse();
  }

  @Test
  void rebuild_indexWithoutARequestedPlatform_failsAndLeavesTheTagAlone() throws Exception {
    Digest indexDigest = base.pushNovaIndex(BASE_REPO, "1", "amd64");
    RebuildRequest request = request(indexDigest, Map.of(PlatformChoice.PLATFORMS, "linux/ppc64le"));
    assertThatThrownBy(() -> rebuilder("work").rebuild(request))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("linux/ppc64le");
    assertThat(registry.store().tags(TARGET_REPO)).doesNotContain("apex");
  }

  private DaemonlessRebuilder rebuilder(String work) {
    return DaemonlessRebuilder.of(base.client(), tmp.resolve(work), "test-1");
  }

  private RebuildRequest request(Digest baseDigest, Map<String, String> options) throws IOException {
    return new RebuildRequest("nova-api", ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest),
        TARGET_REPO, "apex",
        List.of(AppliedPatch.of("I0a1b2c", "file a.patch", Digest.sha256("p".getBytes(StandardCharsets.UTF_8)))),
        DaemonlessRebuilderTest.patchResult(tmp.resolve("files")), options);
  }
}
