package dev.refit.pipeline.fetch;

import static dev.refit.pipeline.fetch.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.testkit.RandomImage;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An OCI image layout as the upstream (the air-gapped mirror), into a real embedded local registry. */
@ExtendWith(VertxExtension.class)
class LayoutUpstreamTest {
  private static final String NOVA = "tripleomaster/centos-binary-nova-api";
  private static final String NEUTRON = "tripleomaster/centos-binary-neutron-server";
  private static final String KEYSTONE = "tripleomaster/centos-binary-keystone";
  private static final String TAG = "current-tripleo-rdo";

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry local;
  private RegistryClient localClient;
  private Path mirror;
  private OciLayout layout;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    local = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("local")));
    localClient = RegistryClient.create(vertx, local.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("no-docker-config")));
    mirror = tmp.resolve("mirror");
    layout = OciLayout.create(mirror);
  }

  @AfterEach
  void stop() {
    await(localClient.close());
    local.close();
  }

  private ImageRef ref(String repository) {
    return ImageRef.parse("oci:" + mirror + ":" + repository + ":" + TAG);
  }

  private List<FetchResult> run(boolean noFetch, ImageRef... refs) {
    UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), tmp.resolve("cache"), noFetch);
    try {
      return await(access.images(CacheIndex.loadFrom(tmp.resolve("cache")), localClient)
          .fetchAll(List.of(refs)));
    } finally {
      assertThat(access.upstreams().created()).as("no registry client for a layout upstream").isZero();
      await(access.close());
    }
  }

  @Test
  void fetch_fullShortAndPerImageNames_copiedUnderTheRepositoryAndTag() throws Exception {
    RandomImage.Image nova = RandomImage.intoLayout(layout, NOVA + ":" + TAG, new long[] {4_000, 2_000});
    RandomImage.Image neutron = RandomImage.intoLayout(layout, "centos-binary-neutron-server:" + TAG, 3_000);
    // skopeo copy ... oci:mirror/centos-binary-keystone:TAG writes a layout per image, named by the tag alone.
    RandomImage.Image keystone = RandomImage.intoLayout(
        OciLayout.create(mirror.resolve("centos-binary-keystone")), TAG, 1_000);

    List<FetchResult> results = run(false, ref(NOVA), ref(NEUTRON), ref(KEYSTONE));

    assertThat(results).extracting(FetchResult::action).containsOnly(FetchAction.FETCHED);
    assertThat(results).extracting(FetchResult::digest).containsExactly(nova.manifest().digest(),
        neutron.manifest().digest(), keystone.manifest().digest());
    assertThat(results.get(0).local()).isEqualTo(local.hostPort() + "/" + NOVA + ":" + TAG + "@"
        + nova.manifest().digest());
    assertThat(await(localClient.headManifest(KEYSTONE, TAG)).orElseThrow().digest())
        .isEqualTo(keystone.manifest().digest());
    CacheEntry entry = CacheIndex.loadFrom(tmp.resolve("cache")).get(ref(NOVA).toString()).orElseThrow();
    assertThat(entry.digest()).isEqualTo(nova.manifest().digest());
    assertThat(entry.localReference()).isEqualTo(NOVA + ":" + TAG);
  }

  @Test
  void fetch_rerunUnchanged_cached_thenChangedLayoutDigest_isAnUpdateCopyingOnlyWhatIsMissing() {
    RandomImage.Image v1 = RandomImage.intoLayout(layout, NOVA + ":" + TAG, new long[] {4_000, 2_000});
    run(false, ref(NOVA));

    assertThat(run(false, ref(NOVA)).get(0).action()).isEqualTo(FetchAction.CACHED);

    RandomImage.Image v2 = RandomImage.intoLayout(layout, NOVA + ":" + TAG, 5_000);
    FetchResult updated = run(false, ref(NOVA)).get(0);

    assertThat(updated.action()).isEqualTo(FetchAction.UPDATED);
    assertThat(updated.digest()).isEqualTo(v2.manifest().digest()).isNotEqualTo(v1.manifest().digest());
    assertThat(updated.copy().blobsCopied()).isEqualTo(2); // its layer and its config
    assertThat(await(localClient.headManifest(NOVA, TAG)).orElseThrow().digest())
        .isEqualTo(v2.manifest().digest());
  }

  @Test
  void noFetch_afterOnlineRun_answersFromTheCacheWithoutTheLayout() throws Exception {
    RandomImage.Image nova = RandomImage.intoLayout(layout, NOVA + ":" + TAG, 4_000);
    run(false, ref(NOVA));
    FileTrees.delete(mirror);

    FetchResult offline = run(true, ref(NOVA)).get(0);

    assertThat(offline.action()).isEqualTo(FetchAction.OFFLINE);
    assertThat(offline.digest()).isEqualTo(nova.manifest().digest());
    assertThatThrownBy(() -> run(true, ref(NOVA), ref(NEUTRON)))
        .isInstanceOf(CacheMissException.class)
        .satisfies(e -> assertThat(((CacheMissException) e).missing()).containsExactly(ref(NEUTRON).toString()));
  }

  @Test
  void fetch_imageNotInLayout_failsNamingWhereItLookedAndWhatIsThere() {
    RandomImage.Image nova = RandomImage.intoLayout(layout, NOVA + ":" + TAG, 1_000);

    assertThatThrownBy(() -> run(false, ref(NEUTRON)))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("no image " + NEUTRON + ":" + TAG)
        .hasMessageContaining("centos-binary-neutron-server:" + TAG)
        .hasMessageContaining(NOVA + ":" + TAG)
        .hasMessageContaining("skopeo copy");
    assertThat(nova.manifest().digest()).isNotNull();
  }

  @Test
  void fetch_notALayout_failsClearly() {
    Path empty = tmp.resolve("nothing");
    ImageRef ref = ImageRef.parse("oci:" + empty + ":" + NOVA + ":" + TAG);
    assertThatThrownBy(() -> run(false, ref))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("is not an OCI image layout");
  }
}
