package dev.refit.pipeline.fetch;

import static dev.refit.pipeline.fetch.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.testkit.RandomImage;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real embedded registries, one playing the upstream (behind a connection-counting proxy)
 * and one the local registry; no mocks.
 */
@ExtendWith(VertxExtension.class)
class UpstreamFetcherTest {
  private static final String NOVA = "tripleoqueens/centos-binary-nova-api";
  private static final String NEUTRON = "tripleoqueens/centos-binary-neutron-server";
  private static final String TAG = "current-tripleo-rdo";

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry upstream;
  private InProcessRegistry local;
  private CountingProxy proxy;
  private OciLayout layout;
  private ClientOptions options;
  private final List<RegistryClient> clients = new ArrayList<>();
  private RandomImage.Image nova;
  private Digest neutronIndex;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    local = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("local")));
    proxy = CountingProxy.start(vertx, upstream.port());
    options = ClientOptions.defaults().withDockerConfigDir(tmp.resolve("no-docker-config"));
    layout = OciLayout.create(tmp.resolve("layout"));
    nova = RandomImage.intoLayout(layout, "nova", new long[] {20_000, 5_000});
    RandomImage.Image amd = RandomImage.intoLayout(layout, "neutron-amd64", 7_000);
    RandomImage.Image arm = RandomImage.intoLayout(layout, "neutron-arm64", 6_000);
    neutronIndex = writeIndex("neutron", amd, arm);
    seedUpstream("nova", NOVA);
    seedUpstream("neutron", NEUTRON);
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> await(c.close()));
    await(proxy.close());
    local.close();
    upstream.close();
  }

  private RegistryClient client(String hostPort) {
    RegistryClient c = RegistryClient.create(vertx, hostPort, options);
    clients.add(c);
    return c;
  }

  private Digest writeIndex(String name, RandomImage.Image amd, RandomImage.Image arm) {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
        + child(amd.manifestDescriptor(), "amd64") + "," + child(arm.manifestDescriptor(), "arm64") + "]}";
    Descriptor d = layout.writeManifest(RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_INDEX));
    layout.addManifest(d, name);
    return d.digest();
  }

  private static String child(Descriptor d, String arch) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
        + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
  }

  /** Pushes a layout image straight to the upstream (not through the proxy). */
  private void seedUpstream(String layoutRef, String repo) {
    await(ImageCopier.copy(new LayoutSource(vertx, layout), layoutRef,
        new RegistrySink(client(upstream.hostPort()), repo), TAG, CopyOptions.defaults()));
  }

  private ImageRef ref(String repo) {
    return ImageRef.parse("127.0.0.1:" + proxy.port() + "/" + repo + ":" + TAG);
  }

  private List<FetchResult> run(CacheIndex index, RegistryClient localClient, boolean noFetch, List<ImageRef> refs) {
    UpstreamAccess access = UpstreamAccess.of(vertx, options, tmp.resolve("cache"), noFetch);
    try {
      return await(access.images(index, localClient).fetchAll(refs));
    } finally {
      assertThat(noFetch ? access.upstreams().created() : 0).isZero();
      await(access.close());
    }
  }

  private CacheIndex index() {
    return CacheIndex.loadFrom(tmp.resolve("cache"));
  }

  @Test
  void fetch_firstRun_copiesImageAndIndexKeepingRepositoryTagAndDigests() {
    RegistryClient localClient = client(local.hostPort());
    List<FetchResult> results = run(index(), localClient, false, List.of(ref(NOVA), ref(NEUTRON)));

    assertThat(results).extracting(FetchResult::action).containsExactly(FetchAction.FETCHED, FetchAction.FETCHED);
    assertThat(results.get(0).digest()).isEqualTo(nova.manifest().digest());
    assertThat(results.get(1).digest()).isEqualTo(neutronIndex);
    assertThat(results.get(1).mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(results.get(0).local()).isEqualTo(local.hostPort() + "/" + NOVA + ":" + TAG + "@" + nova.manifest().digest());
    assertThat(await(localClient.headManifest(NOVA, TAG)).orElseThrow().digest()).isEqualTo(nova.manifest().digest());
    assertThat(await(localClient.headManifest(NEUTRON, TAG)).orElseThrow().digest()).isEqualTo(neutronIndex);
    // The index's children came along: the copy wrote three manifests in all.
    assertThat(results.get(1).copy().manifests()).isEqualTo(3);
    CacheEntry entry = index().get(ref(NOVA).toString()).orElseThrow();
    assertThat(entry.digest()).isEqualTo(nova.manifest().digest());
    assertThat(entry.localReference()).isEqualTo(NOVA + ":" + TAG);
    assertThat(entry.mediaType()).isEqualTo(nova.manifest().mediaType());
  }

  @Test
  void fetch_rerunUnchanged_onlyHeadsUpstreamManifests() {
    RegistryClient localClient = client(local.hostPort());
    run(index(), localClient, false, List.of(ref(NOVA), ref(NEUTRON)));
    int seen = proxy.requests().size();

    List<FetchResult> again = run(index(), localClient, false, List.of(ref(NOVA), ref(NEUTRON)));

    assertThat(again).extracting(FetchResult::action).containsExactly(FetchAction.CACHED, FetchAction.CACHED);
    List<String> rerun = proxy.requests().subList(seen, proxy.requests().size());
    assertThat(rerun).containsExactlyInAnyOrder(
        "HEAD /v2/" + NOVA + "/manifests/" + TAG, "HEAD /v2/" + NEUTRON + "/manifests/" + TAG);
  }

  @Test
  void fetch_upstreamChanged_copiesOnlyMissingBlobs() {
    RegistryClient localClient = client(local.hostPort());
    run(index(), localClient, false, List.of(ref(NOVA)));
    // A new build on top of the same base layers, pushed under the same tag.
    RandomImage.Image top = RandomImage.intoLayout(layout, "top", 3_000);
    String layers = Stream.concat(nova.layerDescriptors().stream(), top.layerDescriptors().stream())
        .map(d -> "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}")
        .reduce((a, b) -> a + "," + b).orElseThrow();
    Descriptor cfg = top.config();
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + cfg.mediaType() + "\",\"digest\":\"" + cfg.digest() + "\",\"size\":" + cfg.size() + "},\"layers\":[" + layers + "]}";
    Descriptor v2 = layout.writeManifest(RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST));
    layout.addManifest(v2, "nova-v2");
    seedUpstream("nova-v2", NOVA);

    FetchResult r = run(index(), localClient, false, List.of(ref(NOVA))).get(0);

    assertThat(r.action()).isEqualTo(FetchAction.UPDATED);
    assertThat(r.digest()).isEqualTo(v2.digest());
    assertThat(r.copy().blobsSkipped()).isEqualTo(nova.layers().size());
    assertThat(r.copy().blobsCopied()).isEqualTo(2); // the new layer and the new config
    assertThat(index().get(ref(NOVA).toString()).orElseThrow().digest()).isEqualTo(v2.digest());
    assertThat(await(localClient.headManifest(NOVA, TAG)).orElseThrow().digest()).isEqualTo(v2.digest());
  }

  @Test
  void noFetch_makesZeroUpstreamConnections_andAnswersLikeTheOnlineRun() {
    RegistryClient localClient = client(local.hostPort());
    List<FetchResult> online = run(index(), localClient, false, List.of(ref(NOVA), ref(NEUTRON)));
    int connections = proxy.connections();
    assertThat(connections).isPositive();

    List<FetchResult> offline = run(index(), localClient, true, List.of(ref(NOVA), ref(NEUTRON)));

    assertThat(proxy.connections()).isEqualTo(connections);
    assertThat(offline).extracting(FetchResult::action).containsOnly(FetchAction.OFFLINE);
    assertThat(offline).extracting(FetchResult::digest).isEqualTo(online.stream().map(FetchResult::digest).toList());
    assertThat(offline).extracting(FetchResult::local).isEqualTo(online.stream().map(FetchResult::local).toList());
    assertThat(offline).extracting(FetchResult::upstream).isEqualTo(online.stream().map(FetchResult::upstream).toList());
  }

  @Test
  void noFetch_missing_listsExactlyTheUncachedReferences_withoutConnecting() {
    RegistryClient localClient = client(local.hostPort());
    run(index(), localClient, false, List.of(ref(NOVA)));
    int connections = proxy.connections();
    ImageRef glance = ref("tripleoqueens/centos-binary-glance-api");

    assertThatThrownBy(() -> run(index(), localClient, true, List.of(ref(NOVA), ref(NEUTRON), glance)))
        .isInstanceOf(CacheMissException.class)
        .hasMessageContaining(ref(NEUTRON).toString())
        .satisfies(e -> assertThat(((CacheMissException) e).missing())
            .containsExactly(ref(NEUTRON).toString(), glance.toString()));
    assertThat(proxy.connections()).isEqualTo(connections);
  }

  @Test
  void noFetch_indexedButAbsentLocally_isAMiss() {
    run(index(), client(local.hostPort()), false, List.of(ref(NOVA)));
    try (InProcessRegistry empty = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("empty")))) {
      RegistryClient emptyClient = client(empty.hostPort());
      assertThatThrownBy(() -> run(index(), emptyClient, true, List.of(ref(NOVA))))
          .isInstanceOf(CacheMissException.class)
          .satisfies(e -> assertThat(((CacheMissException) e).missing()).containsExactly(ref(NOVA).toString()));
    }
  }

  @Test
  void fetch_unknownUpstreamImage_failsNamingIt_andRecordsNothing() {
    ImageRef ghost = ref("tripleoqueens/centos-binary-ghost");
    assertThatThrownBy(() -> run(index(), client(local.hostPort()), false, List.of(ghost)))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(ghost.toString())
        .hasMessageContaining("does not exist");
    assertThat(index().entries()).isEmpty();
  }

  /** Runs {@code test} with nova reachable only through a {@link ValidatingFront}. */
  private void viaFront(java.util.function.BiConsumer<ValidatingFront, ImageRef> test) {
    ValidatingFront front = ValidatingFront.start(vertx, upstream.port(), "Tue, 03 Mar 2026 10:15:30 GMT");
    try {
      test.accept(front, ImageRef.parse("127.0.0.1:" + front.port() + "/" + NOVA + ":" + TAG));
    } finally {
      front.close();
    }
  }

  @Test
  void fetch_recordsEtagLastModifiedAndFetchTime_andRerunSendsIfNoneMatch() {
    viaFront((front, viaFront) -> {
      RegistryClient localClient = client(local.hostPort());
      java.time.Instant before = java.time.Instant.now();
      run(index(), localClient, false, List.of(viaFront));

      CacheEntry entry = index().get(viaFront.toString()).orElseThrow();
      assertThat(entry.etag()).isEqualTo("\"" + nova.manifest().digest() + "\"");
      assertThat(entry.lastModified()).isEqualTo(java.time.Instant.parse("2026-03-03T10:15:30Z"));
      assertThat(entry.fetchedAt()).isBetween(before, java.time.Instant.now());
      assertThat(front.ifNoneMatch()).isEmpty();

      FetchResult again = run(index(), localClient, false, List.of(viaFront)).get(0);

      assertThat(again.action()).isEqualTo(FetchAction.CACHED);
      assertThat(again.digest()).isEqualTo(nova.manifest().digest());
      assertThat(front.ifNoneMatch()).containsExactly(entry.etag());
      assertThat(front.statuses()).last().isEqualTo(304);
      assertThat(index().get(viaFront.toString()).orElseThrow()).isEqualTo(entry);
    });
  }

  @Test
  void fetch_upstreamChangedBehindOldEtag_detectedByDigestAndEtagUpdated() {
    viaFront((front, viaFront) -> {
      RegistryClient localClient = client(local.hostPort());
      run(index(), localClient, false, List.of(viaFront));
      String oldEtag = index().get(viaFront.toString()).orElseThrow().etag();
      seedUpstream("neutron", NOVA);

      FetchResult r = run(index(), localClient, false, List.of(viaFront)).get(0);

      assertThat(front.ifNoneMatch()).containsExactly(oldEtag);
      assertThat(r.action()).isEqualTo(FetchAction.UPDATED);
      assertThat(r.digest()).isEqualTo(neutronIndex);
      CacheEntry entry = index().get(viaFront.toString()).orElseThrow();
      assertThat(entry.digest()).isEqualTo(neutronIndex);
      assertThat(entry.etag()).isEqualTo("\"" + neutronIndex + "\"");
      assertThat(entry.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    });
  }
}
