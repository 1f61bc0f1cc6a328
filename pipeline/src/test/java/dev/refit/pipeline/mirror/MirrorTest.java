package dev.refit.pipeline.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.fetch.CountingProxy;
import dev.refit.registry.copy.PlatformSubset;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** refit mirror against a real in-process upstream registry, seen through a request-counting proxy. */
class MirrorTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = new Platform("linux", "arm64", "v8", null, List.of());
  private static final byte[] BASE = UpstreamImages.layer(1, 300_000);

  @TempDir Path tmp;
  private Vertx vertx;
  private InProcessRegistry upstream;
  private CountingProxy proxy;
  private UpstreamImages images;
  private String host;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(tmp.resolve("upstream"));
    proxy = CountingProxy.start(vertx, upstream.port());
    host = "127.0.0.1:" + proxy.port();
    images = new UpstreamImages(upstream.store());
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void mirror_syncFileIntoEmbeddedStore_copiesSelectedTagsOnceEachSharedBlobOnce() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    RawManifest v17 = images.image("ceph/ceph", "v17", AMD64, BASE, UpstreamImages.layer(3, 40_000));
    RawManifest prom = images.image("prom/prometheus", "v2.43.0", AMD64, BASE, UpstreamImages.layer(4, 30_000));
    images.image("prom/prometheus", "v1.8.2", AMD64, UpstreamImages.layer(5, 1_000));
    Path sync = write("""
        %s:
          images:
            ceph/ceph: []
          images-by-tag-regex:
            prom/prometheus: ^v2\\.
        """.formatted(host));

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));

    assertThat(report.failed()).as(report.table()).isEmpty();
    FsStore store = store();
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(v18.digest());
    assertThat(store.get("ceph", "v17").orElseThrow().digest()).isEqualTo(v17.digest());
    assertThat(store.get("prometheus", "v2.43.0").orElseThrow().digest()).isEqualTo(prom.digest());
    assertThat(store.get("prometheus", "v1.8.2")).as("not matched by the regex").isEmpty();
    Descriptor base = Manifest.parse(v18.bytes()).layers().get(0);
    assertThat(blobGets(base)).as("the shared base layer crosses once").isEqualTo(1);
    assertThat(report.images()).extracting(MirrorOutcome::action).containsOnly(MirrorOutcome.COPIED);
    assertThat(report.images().stream().mapToInt(MirrorOutcome::blobsCopied).sum())
        .as("3 configs, the base and 3 top layers").isEqualTo(7);
    assertThat(report.jsonLines()).contains("\"type\":\"report\"", "\"action\":\"copied\"");
  }

  @Test
  void mirror_rerunWithNothingChanged_sendsNoBlobRequestAndReportsUnchanged() throws Exception {
    images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    images.image("ceph/haproxy", "2.3", AMD64, BASE);
    Path sync = write("""
        %s:
          images:
            ceph/ceph: [v18]
            ceph/haproxy: ["2.3"]
        """.formatted(host));
    Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));
    int before = proxy.requests().size();

    MirrorReport again = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));

    List<String> rerun = proxy.requests().subList(before, proxy.requests().size());
    assertThat(again.images()).extracting(MirrorOutcome::action).containsOnly(MirrorOutcome.UNCHANGED);
    assertThat(rerun).as("only manifest HEADs").allMatch(r -> r.startsWith("HEAD ") && r.contains("/manifests/"))
        .hasSize(2);
  }

  @Test
  void mirror_intoOciLayout_namesEachImageRepoColonTag() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE);
    Path sync = write("%s:\n  images:\n    ceph/ceph: [v18]\n".formatted(host));
    Path dir = tmp.resolve("layout");

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")).withTo("oci:" + dir));

    assertThat(report.failed()).as(report.table()).isEmpty();
    OciLayout layout = OciLayout.open(dir);
    assertThat(layout.resolve("ceph:v18").digest()).isEqualTo(v18.digest());
    assertThat(layout.hasBlob(Manifest.parse(v18.bytes()).layers().get(0).digest())).isTrue();
  }

  @Test
  void mirror_ociSourceWithNoFetch_copiesIntoTheStore() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE);
    Path dir = tmp.resolve("layout");
    Path sync = write("%s:\n  images:\n    ceph/ceph: [v18]\n".formatted(host));
    Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("unused")).withTo("oci:" + dir));
    int before = proxy.requests().size();

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("oci:" + dir)).withNoFetch(true).withNaming(DestinationNaming.PATH));

    assertThat(report.failed()).as(report.table()).isEmpty();
    assertThat(store().get("ceph", "v18").orElseThrow().digest()).isEqualTo(v18.digest());
    assertThat(proxy.requests()).hasSize(before);
  }

  @Test
  void mirror_noFetchWithRegistrySources_exits3NamingThem() {
    Path sync = write("%s:\n  images:\n    ceph/ceph: [v18]\n    ceph/haproxy: []\n".formatted(host));
    assertThatThrownBy(() -> Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")).withNoFetch(true)))
        .isInstanceOfSatisfying(RefitException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_CACHED);
          assertThat(e.getMessage()).contains("docker://" + host + "/ceph/ceph", "docker://" + host + "/ceph/haproxy");
        });
    assertThat(proxy.connections()).isZero();
  }

  @Test
  void mirror_platformSubset_writesIndexRecordingSourceAndDropped_rerunUnchanged() throws Exception {
    RawManifest amd = images.image("ceph/ceph", null, AMD64, BASE);
    RawManifest arm = images.image("ceph/ceph", null, ARM64, UpstreamImages.layer(7, 1_000));
    Platform ppc = Platform.of("linux", "ppc64le");
    RawManifest power = images.image("ceph/ceph", null, ppc, UpstreamImages.layer(8, 1_000));
    RawManifest index = images.index("ceph/ceph", "v18", List.of(amd, arm, power), List.of(AMD64, ARM64, ppc));
    Path sync = write("""
        %s:
          images:
            ceph/ceph: [v18]
          refit:
            platforms: [linux/amd64, linux/arm64]
        """.formatted(host));

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));
    MirrorReport again = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));

    assertThat(report.failed()).as(report.table()).isEmpty();
    Index written = Index.parse(store().get("ceph", "v18").orElseThrow().bytes());
    assertThat(written.manifests()).extracting(Descriptor::digest).containsExactly(amd.digest(), arm.digest());
    assertThat(written.annotations()).containsEntry(PlatformSubset.SOURCE_INDEX, index.digest().toString())
        .containsEntry(PlatformSubset.DROPPED_PLATFORMS, "linux/ppc64le");
    assertThat(blobGets(Manifest.parse(power.bytes()).layers().get(0))).isZero();
    assertThat(again.images()).extracting(MirrorOutcome::action).containsExactly(MirrorOutcome.UNCHANGED);
  }

  @Test
  void mirror_assemble_buildsTheGrafanaIndexFromPerArchTags() throws Exception {
    RawManifest x86 = images.image("ceph/ceph-grafana", "6.7.4-x86_64", AMD64, BASE);
    RawManifest aarch64 = images.image("ceph/ceph-grafana", "6.7.4-aarch64", ARM64, UpstreamImages.layer(9, 2_000));
    Path sync = write("""
        %s:
          refit:
            assemble:
              ceph/ceph-grafana:
                "6.7.4": [6.7.4-x86_64, 6.7.4-aarch64]
        """.formatted(host));

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));
    MirrorReport again = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));

    assertThat(report.images()).extracting(MirrorOutcome::action).as(report.table())
        .containsExactly(MirrorOutcome.ASSEMBLED);
    RawManifest raw = store().get("ceph-grafana", "6.7.4").orElseThrow();
    assertThat(raw.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    Index index = Index.parse(raw.bytes());
    assertThat(index.manifests()).extracting(Descriptor::digest).containsExactly(x86.digest(), aarch64.digest());
    assertThat(index.manifests()).extracting(d -> d.platform().toString()).containsExactly("linux/amd64", "linux/arm64/v8");
    assertThat(index.annotations()).containsEntry(Assembler.ASSEMBLED_FROM, "6.7.4-x86_64,6.7.4-aarch64");
    assertThat(store().get("ceph-grafana", aarch64.digest().toString())).isPresent();
    assertThat(again.images()).extracting(MirrorOutcome::action).containsExactly(MirrorOutcome.UNCHANGED);
  }

  @Test
  void mirror_zstdLayer_isCopiedAndStoredByteForByte() throws Exception {
    byte[] zstd = UpstreamImages.zstdLayer();
    assertThat(zstd).startsWith(0x28, 0xb5, 0x2f, 0xfd);
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, MediaType.OCI_LAYER_ZSTD, zstd);
    Descriptor layer = Manifest.parse(v18.bytes()).layers().get(0);
    Path sync = write("%s:\n  images:\n    ceph/ceph: [v18]\n".formatted(host));
    Path dir = tmp.resolve("layout");

    MirrorReport intoStore = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));
    MirrorReport intoLayout = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("unused")).withTo("oci:" + dir));

    assertThat(intoStore.failed()).as(intoStore.table()).isEmpty();
    assertThat(intoLayout.failed()).as(intoLayout.table()).isEmpty();
    FsStore store = store();
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(v18.digest());
    assertThat(layer.mediaType()).isEqualTo(MediaType.OCI_LAYER_ZSTD);
    assertThat(Files.readAllBytes(store.stat(layer.digest()).orElseThrow().path())).isEqualTo(zstd);
    try (var in = OciLayout.open(dir).openBlob(layer.digest())) {
      assertThat(in.readAllBytes()).isEqualTo(zstd);
    }
  }

  @Test
  void mirror_retag_writesTheDestinationTagOnly() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18.2.0", AMD64, BASE);
    Path sync = write("""
        %s:
          images:
            ceph/ceph: [v18.2.0]
          refit:
            retag:
              ceph/ceph:
                v18.2.0: stable
        """.formatted(host));

    Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")).withNaming(DestinationNaming.PATH));

    assertThat(store().get("ceph/ceph", "stable").orElseThrow().digest()).isEqualTo(v18.digest());
    assertThat(store().tags("ceph/ceph")).containsExactly("stable");
  }

  @Test
  void mirror_missingUpstreamBlob_failsThatImageNamingTheBlob_othersComplete() throws Exception {
    byte[] lost = UpstreamImages.layer(11, 5_000);
    images.image("ceph/broken", "v1", AMD64, lost);
    RawManifest fine = images.image("ceph/fine", "v1", AMD64, BASE);
    Descriptor gone = images.blob("ceph/broken", lost, MediaType.OCI_LAYER_GZIP);
    upstream.store().unlink("ceph/broken", gone.digest());
    Path sync = write("%s:\n  images:\n    ceph/broken: [v1]\n    ceph/fine: [v1]\n".formatted(host));

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("store")));

    Map<String, MirrorOutcome> rows = report.images().stream()
        .collect(Collectors.toMap(o -> o.source().replaceAll(".*/", ""), o -> o));
    assertThat(rows.get("broken:v1").action()).isEqualTo(MirrorOutcome.FAILED);
    assertThat(rows.get("broken:v1").error()).contains(gone.digest().toString());
    assertThat(rows.get("fine:v1").action()).isEqualTo(MirrorOutcome.COPIED);
    assertThat(store().get("fine", "v1").orElseThrow().digest()).isEqualTo(fine.digest());
    assertThat(store().get("broken", "v1")).isEmpty();
  }

  @Test
  void mirror_ociArchiveRoundTrip_keepsDigestsAndAddsToAnExistingArchive() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    RawManifest haproxy = images.image("ceph/haproxy", "2.3", AMD64, BASE);
    Path archive = tmp.resolve("out/site.tar");
    Mirror.run(vertx, MirrorRequest.of(write("%s:\n  images:\n    ceph/ceph: [v18]\n".formatted(host)),
        tmp.resolve("unused")).withTo("oci-archive:" + archive));

    MirrorReport second = Mirror.run(vertx, MirrorRequest.of(write("%s:\n  images:\n    ceph/haproxy: [\"2.3\"]\n"
        .formatted(host)), tmp.resolve("unused")).withTo("oci-archive:" + archive));
    MirrorReport back = Mirror.run(vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("oci-archive:" + archive + ":ceph:v18")).withNoFetch(true));

    assertThat(second.failed()).as(second.table()).isEmpty();
    assertThat(back.failed()).as(back.table()).isEmpty();
    assertThat(back.images().get(0).source()).startsWith("oci-archive:" + archive);
    assertThat(store().get("ceph", "v18").orElseThrow().digest()).isEqualTo(v18.digest());
    Path extracted = tmp.resolve("extracted");
    OciArchive.extract(archive, extracted);
    OciLayout layout = OciLayout.open(extracted);
    assertThat(layout.resolve("ceph:v18").digest()).isEqualTo(v18.digest());
    assertThat(layout.resolve("haproxy:2.3").digest()).as("the first run's image stays").isEqualTo(haproxy.digest());
    try (var left = Files.list(archive.getParent())) {
      assertThat(left).as("no work directory left beside the archive").containsExactly(archive);
    }
  }

  @Test
  void mirror_intoDockerArchive_listsEachImageForDockerLoadOverTheLayoutsBlobs() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    Path archive = tmp.resolve("docker.tar");

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(write("%s:\n  images:\n    ceph/ceph: [v18]\n"
        .formatted(host)), tmp.resolve("unused")).withTo("docker-archive:" + archive));

    assertThat(report.failed()).as(report.table()).isEmpty();
    Path extracted = tmp.resolve("extracted");
    OciArchive.extract(archive, extracted);
    var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(extracted.resolve("manifest.json").toFile());
    Manifest image = Manifest.parse(v18.bytes());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("RepoTags").get(0).asText()).isEqualTo("ceph:v18");
    assertThat(list.get(0).path("Config").asText()).isEqualTo("blobs/sha256/" + image.config().digest().hex());
    assertThat(list.get(0).path("Layers")).hasSize(2).allSatisfy(l -> assertThat(extracted.resolve(l.asText())).exists());
    assertThat(OciLayout.open(extracted).resolve("ceph:v18").digest()).isEqualTo(v18.digest());
  }

  @Test
  void mirror_fromDockerArchiveRefitWrote_keepsTheManifestDigest() throws Exception {
    RawManifest v18 = images.image("ceph/ceph", "v18", AMD64, BASE);
    Path archive = tmp.resolve("docker.tar");
    Mirror.run(vertx, MirrorRequest.of(write("%s:\n  images:\n    ceph/ceph: [v18]\n".formatted(host)),
        tmp.resolve("unused")).withTo("docker-archive:" + archive));

    MirrorReport back = Mirror.run(vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("docker-archive:" + archive + ":ceph:v18")).withNoFetch(true));

    assertThat(back.failed()).as(back.table()).isEmpty();
    assertThat(store().get("ceph", "v18").orElseThrow().digest()).isEqualTo(v18.digest());
  }

  @Test
  void mirror_fromDockerSave_writesADockerManifestOverTheSameConfigAndLayers() throws Exception {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] layer = "a plain tar, as docker save before 25 writes ".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path archive = tmp.resolve("saved.tar");
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(archive))) {
      entry(tar, "manifest.json", ("[{\"Config\":\"abc.json\",\"RepoTags\":[\"ceph:v18\"],"
          + "\"Layers\":[\"l1/layer.tar\"]}]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      entry(tar, "abc.json", config);
      entry(tar, "l1/layer.tar", layer);
    }

    MirrorReport report = Mirror.run(vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("docker-archive:" + archive + ":ceph:v18")).withNoFetch(true));

    assertThat(report.failed()).as(report.table()).isEmpty();
    RawManifest stored = store().get("ceph", "v18").orElseThrow();
    Manifest m = Manifest.parse(stored.bytes());
    assertThat(stored.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(m.config().digest()).isEqualTo(dev.refit.registry.oci.Digest.sha256(config));
    assertThat(m.layers()).extracting(Descriptor::digest).containsExactly(dev.refit.registry.oci.Digest.sha256(layer));
    assertThat(m.layers().get(0).mediaType()).isEqualTo(DockerArchive.UNCOMPRESSED_LAYER);
  }

  private static void entry(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar, String name,
      byte[] bytes) throws java.io.IOException {
    var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private long blobGets(Descriptor blob) {
    return proxy.requests().stream().filter(r -> r.startsWith("GET ") && r.contains("/blobs/" + blob.digest())).count();
  }

  private FsStore store() {
    return FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
  }

  private Path write(String yaml) {
    try {
      return Files.writeString(tmp.resolve("sync-" + Math.abs(yaml.hashCode()) + ".yaml"), yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
