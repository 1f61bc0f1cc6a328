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
