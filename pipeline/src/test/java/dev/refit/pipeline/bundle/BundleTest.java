package dev.refit.pipeline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.pipeline.mirror.DestinationNaming;
import dev.refit.pipeline.mirror.Destinations;
import dev.refit.pipeline.mirror.UpstreamFixture;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.client.Await;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** refit bundle create, verify and load against a real in-process upstream registry and real stores. */
class BundleTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final byte[] BASE = UpstreamImages.layer(1, 300_000);

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();

  @Test
  void createVerifyLoad_roundTrip_keepsDigestsAndHoldsEachBlobOnce() throws Exception {
    RawManifest ceph = up.images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    RawManifest prom = up.images.image("prom/prometheus", "v2.43.0", AMD64, BASE, UpstreamImages.layer(3, 40_000));
    Path bundle = tmp.resolve("out/site.tar");

    BundleIndex index = BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]", "prom/prometheus: [v2.43.0]"), bundle,
        null, List.of(), DestinationNaming.BASE);

    List<String> entries = entries(bundle);
    List<String> blobs = entries.stream().filter(e -> e.startsWith("blobs/sha256/") && e.length() > 13).toList();
    // 2 manifests, 2 configs, 3 distinct layers (BASE shared): each once.
    assertThat(blobs).hasSize(7).doesNotHaveDuplicates();
    assertThat(entries.get(0)).isEqualTo("oci-layout");
    assertThat(entries.get(entries.size() - 1)).isEqualTo("refit-bundle.json");
    assertThat(entries).contains("index.json", "manifest.json");
    assertThat(index.images()).extracting(BundleIndex.Image::name).containsExactly("ceph:v18", "prometheus:v2.43.0");
    assertThat(BundleIndex.parse(Files.readAllBytes(tmp.resolve("out/site.index.json")), "beside")).isEqualTo(index);
    assertThat(BundleVerify.run(bundle)).isEqualTo(index);

    BundleLoad.Outcome first = load(bundle, tmp.resolve("site-store"));
    BundleLoad.Outcome again = load(bundle, tmp.resolve("site-store"));

    FsStore store = FsStore.open(tmp.resolve("site-store"), StoreOptions.defaults());
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(ceph.digest());
    assertThat(store.get("prometheus", "v2.43.0").orElseThrow().digest()).isEqualTo(prom.digest());
    assertThat(first.sent()).isEqualTo(5);
    assertThat(again.sent()).isZero();
    assertThat(again.skipped()).isEqualTo(5);
  }

  @Test
  void createVerifyLoad_zstdLayer_travelsByteForByte() throws Exception {
    byte[] zstd = UpstreamImages.zstdLayer();
    RawManifest ceph = up.images.image("ceph/ceph", "v18", AMD64, MediaType.OCI_LAYER_ZSTD, zstd);
    Descriptor layer = Manifest.parse(ceph.bytes()).layers().get(0);
    Path bundle = tmp.resolve("site.tar");

    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of(), DestinationNaming.BASE);
    BundleVerify.run(bundle);
    load(bundle, tmp.resolve("site-store"));

    FsStore store = FsStore.open(tmp.resolve("site-store"), StoreOptions.defaults());
    assertThat(store.get("ceph", "v18").orElseThrow().digest()).isEqualTo(ceph.digest());
    assertThat(Files.readAllBytes(store.stat(layer.digest()).orElseThrow().path())).isEqualTo(zstd);
  }

  @Test
  void createLoad_dockerSchema2Image_isNamedThroughAnOciIndexAndLoadedUnchanged() throws Exception {
    RawManifest docker = RealImages.image(up.images, up.upstream.store(), "ceph/ceph", "v18", true,
        RealImages.layerTar("a.txt", "a"));
    Path bundle = tmp.resolve("site.tar");

    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of(), DestinationNaming.BASE);

    Index named = Index.parse(Files.readAllBytes(extract(bundle, "index.json")));
    Descriptor entry = named.manifests().get(0);
    assertThat(entry.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(entry.annotations()).containsEntry("org.opencontainers.image.ref.name", "ceph:v18")
        .containsEntry("dev.refit.bundle.wraps", docker.digest().toString());
    Index wrapper = Index.parse(Files.readAllBytes(extract(bundle, "blobs/sha256/" + entry.digest().hex())));
    assertThat(wrapper.manifests()).singleElement().satisfies(d -> {
      assertThat(d.digest()).isEqualTo(docker.digest());
      assertThat(d.platform()).isEqualTo(AMD64);
    });
    load(bundle, tmp.resolve("site-store"));
    assertThat(FsStore.open(tmp.resolve("site-store"), StoreOptions.defaults()).get("ceph", "v18").orElseThrow())
        .isEqualTo(docker);
  }

  @Test
  void verify_flippedByteInALayer_failsNamingTheBlob() throws Exception {
    byte[] layer = UpstreamImages.layer(7, 80_000);
    RawManifest ceph = up.images.image("ceph/ceph", "v18", AMD64, layer);
    Path bundle = tmp.resolve("site.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of(), DestinationNaming.BASE);
    Descriptor target = Manifest.parse(ceph.bytes()).layers().get(0);

    flip(bundle, layer, 40_000);

    assertThatThrownBy(() -> BundleVerify.run(bundle)).isInstanceOfSatisfying(RefitException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(e.getMessage()).contains("blobs/sha256/" + target.digest().hex() + " is corrupt");
    });
    assertThatThrownBy(() -> load(bundle, tmp.resolve("site-store")))
        .isInstanceOfSatisfying(RefitException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED));
    FsStore store = FsStore.open(tmp.resolve("site-store"), StoreOptions.defaults());
    assertThat(store.stat(target.digest())).isEmpty();
    assertThat(store.get("ceph", "v18")).isEmpty();
  }

  @Test
  void verify_truncatedFile_failsNamingWhatIsMissing() throws Exception {
    up.images.image("ceph/ceph", "v18", AMD64, BASE, UpstreamImages.layer(2, 50_000));
    Path bundle = tmp.resolve("site.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of(), DestinationNaming.BASE);
    try (RandomAccessFile raf = new RandomAccessFile(bundle.toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }

    assertThatThrownBy(() -> BundleVerify.run(bundle)).isInstanceOfSatisfying(RefitException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(e.getMessage()).contains("truncated", "refit-bundle.json is missing", " is missing (used by ceph)");
    });
  }

  @Test
  void differential_carriesOnlyNewBlobs_andLoadsOnlyAfterItsBase() throws Exception {
    byte[] v17Layer = UpstreamImages.layer(2, 50_000);
    byte[] v18Layer = UpstreamImages.layer(3, 60_000);
    up.images.image("ceph/ceph", "v17", AMD64, BASE, v17Layer);
    Path base = tmp.resolve("base.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v17]"), base, null, List.of(), DestinationNaming.BASE);
    RawManifest v18 = up.images.image("ceph/ceph", "v18", AMD64, BASE, v18Layer);
    Path next = tmp.resolve("next.tar");

    BundleIndex index = BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v17, v18]"), next,
        tmp.resolve("base.index.json"), List.of(), DestinationNaming.BASE);

    Set<String> carried = index.blobs().stream().map(BundleIndex.Blob::digest).collect(Collectors.toSet());
    Set<String> baseBlobs = new HashSet<>(BundleVerify.run(base).blobs().stream().map(BundleIndex.Blob::digest)
        .toList());
    Manifest v18Manifest = Manifest.parse(v18.bytes());
    assertThat(carried).contains(v18Manifest.layers().get(1).digest().toString(),
        v18Manifest.config().digest().toString());
    assertThat(carried).doesNotContain(v18Manifest.layers().get(0).digest().toString());
    // Only manifests (which always travel) are in both files; no config or layer is sent twice.
    assertThat(index.blobs().stream().filter(b -> baseBlobs.contains(b.digest())).count()).isEqualTo(1);
    assertThat(index.base().bundle()).isEqualTo("base.tar");
    assertThat(BundleVerify.run(next)).isEqualTo(index);

    Path site = tmp.resolve("site-store");
    assertThatThrownBy(() -> load(next, site)).isInstanceOfSatisfying(RefitException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(e.getMessage()).contains("differential", "base.tar",
          v18Manifest.layers().get(0).digest().toString());
      assertThat(e.hint()).contains("base.tar");
    });
    assertThat(FsStore.open(site, StoreOptions.defaults()).get("ceph", "v18")).isEmpty();

    load(base, site);
    load(next, site);

    assertThat(FsStore.open(site, StoreOptions.defaults()).get("ceph", "v18").orElseThrow().digest())
        .isEqualTo(v18.digest());
  }

  @Test
  void createWithPlatform_multiArchIndex_carriesOnlyThatPlatform_andLoadsIntoARegistry() throws Exception {
    Platform arm64 = Platform.of("linux", "arm64");
    byte[] armLayer = UpstreamImages.layer(4, 20_000);
    byte[] amdLayer = UpstreamImages.layer(5, 20_000);
    RawManifest arm = up.images.image("ceph/ceph", null, arm64, armLayer);
    RawManifest amd = up.images.image("ceph/ceph", null, AMD64, amdLayer);
    up.images.index("ceph/ceph", "v18", List.of(arm, amd), List.of(arm64, AMD64));
    Path bundle = tmp.resolve("arm.tar");

    BundleIndex index = BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of("linux/arm64"),
        DestinationNaming.BASE);

    Set<String> carried = index.blobs().stream().map(BundleIndex.Blob::digest).collect(Collectors.toSet());
    assertThat(carried).contains(arm.digest().toString(), Manifest.parse(arm.bytes()).layers().get(0).digest()
        .toString()).doesNotContain(amd.digest().toString(), Manifest.parse(amd.bytes()).layers().get(0).digest()
        .toString());
    try (InProcessRegistry site = InProcessRegistry.start(tmp.resolve("site"))) {
      Destination destination = Destinations.open(up.vertx, "docker://" + site.hostPort() + "/mirror", null, false);
      try {
        BundleLoad.run(bundle, destination, tmp.resolve("work"));
      } finally {
        Await.result(destination.close(), Duration.ofSeconds(30), "closing");
      }
      RawManifest loaded = site.store().get("mirror/ceph", "v18").orElseThrow();
      assertThat(loaded.digest().toString()).isEqualTo(index.images().get(0).digest());
      assertThat(Index.parse(loaded.bytes()).manifests()).extracting(Descriptor::digest).containsExactly(arm.digest());
    }
  }

  @Test
  void create_sinceTheBundleItself_readsItsIndexFromTheTar() throws Exception {
    up.images.image("ceph/ceph", "v17", AMD64, BASE);
    Path base = tmp.resolve("base.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v17]"), base, null, List.of(), DestinationNaming.BASE);

    BundleIndex index = BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v17]"), tmp.resolve("same.tar"), base, List.of(),
        DestinationNaming.BASE);

    assertThat(index.blobs()).hasSize(1); // the manifest only
    assertThat(index.base().blobs()).hasSize(2); // its config and layer
  }

  private BundleLoad.Outcome load(Path bundle, Path storeRoot) {
    Destination destination = Destinations.open(up.vertx, null, storeRoot, true);
    try {
      return BundleLoad.run(bundle, destination, tmp.resolve("work"));
    } finally {
      Await.result(destination.close(), Duration.ofSeconds(30), "closing");
    }
  }

  static List<String> entries(Path tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        out.add(entry.getName());
      }
    }
    return out;
  }

  private Path extract(Path tar, String name) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals(name)) {
          Path out = tmp.resolve("extracted-" + System.nanoTime());
          Files.copy(in, out);
          return out;
        }
      }
    }
    throw new AssertionError(name + " is not in " + tar);
  }

  /** Flips one byte of {@code blob} where it sits in the file. */
  private static void flip(Path file, byte[] blob, int at) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int start = indexOf(all, java.util.Arrays.copyOfRange(blob, 0, 64));
    assertThat(start).isNotNegative();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(start + at);
      int b = raf.read();
      raf.seek(start + at);
      raf.write(b ^ 0x01);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
