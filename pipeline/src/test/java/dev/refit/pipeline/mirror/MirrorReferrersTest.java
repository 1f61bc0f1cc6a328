package dev.refit.pipeline.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.rebuild.CountingHttpProxy;
import dev.refit.registry.copy.Referrers;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures, SBOMs and attestations travel with their image: through the referrers API, and
 * through the {@code sha256-<hex>} tag where a registry has no such API.
 */
class MirrorReferrersTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final String SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
  private static final String SBOM = "application/spdx+json";
  private static final String ATTESTATION = "application/vnd.in-toto+json";

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();

  @Test
  void mirror_intoEmbeddedStore_copiesReferrersAndTheirReferrersThroughTheApi() throws Exception {
    RawManifest image = up.images.image("ceph/ceph", "v18", AMD64, UpstreamImages.layer(1, 2_000));
    RawManifest signature = up.images.referrer("ceph/ceph", image, SIGNATURE, "signed v18");
    RawManifest sbom = up.images.referrer("ceph/ceph", image, SBOM, "{\"spdxVersion\":\"SPDX-2.3\"}");
    RawManifest onSignature = up.images.referrer("ceph/ceph", signature, ATTESTATION, "about the signature");

    MirrorReport report = Mirror.run(up.vertx, MirrorRequest.of(up.sync("ceph/ceph: [v18]"), tmp.resolve("store")));

    assertThat(report.failed()).as(report.table()).isEmpty();
    FsStore store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(image.digest());
    assertThat(store.referrers("ceph", image.digest())).extracting(Descriptor::digest)
        .containsExactlyInAnyOrder(signature.digest(), sbom.digest());
    assertThat(store.referrers("ceph", image.digest())).extracting(Descriptor::artifactType)
        .containsExactlyInAnyOrder(SIGNATURE, SBOM);
    assertThat(store.referrers("ceph", signature.digest())).extracting(Descriptor::digest)
        .containsExactly(onSignature.digest());
    assertThat(report.images().get(0).blobsCopied()).as("config, layer, one empty config, 3 payloads").isEqualTo(6);
  }

  @Test
  void mirror_index_copiesTheReferrersOfEachChildItKeeps() throws Exception {
    Platform arm64 = new Platform("linux", "arm64", "v8", null, List.of());
    RawManifest amd = up.images.image("ceph/ceph", null, AMD64, UpstreamImages.layer(1, 2_000));
    RawManifest arm = up.images.image("ceph/ceph", null, arm64, UpstreamImages.layer(2, 2_000));
    RawManifest index = up.images.index("ceph/ceph", "v18", List.of(amd, arm), List.of(AMD64, arm64));
    RawManifest onIndex = up.images.referrer("ceph/ceph", index, SIGNATURE, "signed the index");
    RawManifest onAmd = up.images.referrer("ceph/ceph", amd, SIGNATURE, "signed amd64");
    RawManifest onArm = up.images.referrer("ceph/ceph", arm, SBOM, "{\"spdxVersion\":\"SPDX-2.3\"}");

    MirrorReport all = Mirror.run(up.vertx, MirrorRequest.of(up.sync("ceph/ceph: [v18]"), tmp.resolve("all")));
    MirrorReport subset = Mirror.run(up.vertx, MirrorRequest.of(up.sync("ceph/ceph: [v18]"), tmp.resolve("subset"))
        .withPlatforms(List.of("linux/amd64")));

    assertThat(all.failed()).as(all.table()).isEmpty();
    assertThat(subset.failed()).as(subset.table()).isEmpty();
    FsStore store = FsStore.open(tmp.resolve("all"), StoreOptions.defaults());
    assertThat(store.referrers("ceph", index.digest())).extracting(Descriptor::digest).containsExactly(onIndex.digest());
    assertThat(store.referrers("ceph", amd.digest())).extracting(Descriptor::digest).containsExactly(onAmd.digest());
    assertThat(store.referrers("ceph", arm.digest())).extracting(Descriptor::digest).containsExactly(onArm.digest());
    FsStore narrowed = FsStore.open(tmp.resolve("subset"), StoreOptions.defaults());
    assertThat(narrowed.referrers("ceph", amd.digest())).extracting(Descriptor::digest).containsExactly(onAmd.digest());
    assertThat(narrowed.referrers("ceph", arm.digest())).as("the dropped platform's SBOM stays behind").isEmpty();
    assertThat(narrowed.get("ceph", onArm.digest().toString())).isEmpty();
  }

  @Test
  void mirror_registriesWithoutReferrersApi_readAndWriteTheFallbackTag() throws Exception {
    RawManifest image = up.images.image("ceph/ceph", "v18", AMD64, UpstreamImages.layer(1, 2_000));
    RawManifest signature = up.images.referrer("ceph/ceph", image, SIGNATURE, "signed v18");
    String tag = Referrers.fallbackTag(image.digest());
    assertThat(tag).isEqualTo("sha256-" + image.digest().hex());
    up.upstream.store().put("ceph/ceph", Index.of(List.of(typed(signature, SIGNATURE))).toRaw(), tag);
    try (InProcessRegistry target = InProcessRegistry.start(tmp.resolve("target"));
        CountingHttpProxy source = CountingHttpProxy.start(up.vertx, up.upstream.port(), "/referrers/");
        CountingHttpProxy dest = CountingHttpProxy.start(up.vertx, target.port(), "/referrers/")) {

      MirrorReport report = Mirror.run(up.vertx, MirrorRequest.of(up.syncFrom("127.0.0.1:" + source.port(),
          "ceph/ceph: [v18]"), tmp.resolve("store")).withTo("docker://127.0.0.1:" + dest.port()));

      assertThat(report.failed()).as(report.table()).isEmpty();
      assertThat(target.store().get("ceph", "v18").orElseThrow().digest()).isEqualTo(image.digest());
      assertThat(target.store().get("ceph", signature.digest().toString())).isPresent();
      Index fallback = Index.parse(target.store().get("ceph", tag).orElseThrow().bytes());
      assertThat(fallback.manifests()).extracting(Descriptor::digest).containsExactly(signature.digest());
      assertThat(fallback.manifests()).extracting(Descriptor::artifactType).containsExactly(SIGNATURE);
      assertThat(source.requests()).as("the API was asked first, then the tag")
          .contains("GET /v2/ceph/ceph/referrers/" + image.digest(), "GET /v2/ceph/ceph/manifests/" + tag);
    }
  }

  private static Descriptor typed(RawManifest m, String artifactType) {
    Descriptor d = m.descriptor();
    return new Descriptor(d.mediaType(), d.digest(), d.size(), null, artifactType, Map.of());
  }
}
