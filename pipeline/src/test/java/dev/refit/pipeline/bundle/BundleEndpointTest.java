package dev.refit.pipeline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.MirrorOutcome;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import dev.refit.pipeline.mirror.UpstreamFixture;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** refit mirror's bundle:FILE endpoint, both ways, against a real in-process upstream registry. */
class BundleEndpointTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();

  @Test
  void mirror_toBundleThenFromBundle_keepsDigests() throws Exception {
    byte[] base = UpstreamImages.layer(1, 200_000);
    RawManifest ceph = up.images.image("ceph/ceph", "v18", AMD64, base, UpstreamImages.layer(2, 30_000));
    RawManifest prom = up.images.image("prom/prometheus", "v2.43.0", AMD64, base);
    Path bundle = tmp.resolve("site.tar");
    MirrorRequest create = MirrorRequest.of(up.sync("ceph/ceph: [v18]", "prom/prometheus: [v2.43.0]"),
        tmp.resolve("unused")).withTo("bundle:" + bundle);

    MirrorReport written = BundleEndpoint.run(up.vertx, create, tmp.resolve("work"));
    MirrorReport loaded = BundleEndpoint.run(up.vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("bundle:" + bundle)), tmp.resolve("work"));

    assertThat(written.images()).extracting(MirrorOutcome::digest)
        .containsExactly(ceph.digest().toString(), prom.digest().toString());
    assertThat(loaded.images()).extracting(MirrorOutcome::destination)
        .containsExactly("store:ceph:v18", "store:prometheus:v2.43.0");
    FsStore store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(ceph.digest());
    assertThat(store.get("prometheus", "v2.43.0").orElseThrow().digest()).isEqualTo(prom.digest());
  }

  @Test
  void mirror_bundleSourceWithOtherSources_isRefusedAsUsage() {
    MirrorRequest request = MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("bundle:" + tmp.resolve("a.tar"), "oci:" + tmp.resolve("dir")));

    assertThat(BundleEndpoint.handles(request)).isTrue();
    assertThatThrownBy(() -> BundleEndpoint.run(up.vertx, request, tmp.resolve("work")))
        .isInstanceOfSatisfying(RefitException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
  }
}
