package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobUnknownException;
import dev.refit.registry.store.BlobWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path root;
  private FsStore store;
  private GarbageCollector gc;

  @BeforeEach
  void open() {
    store =
        FsStore.open(
            root, new StoreOptions(Duration.ofHours(24), Duration.ofHours(1)));
    gc = new GarbageCollector(store);
  }

  /** Pretends every blob in the store was written two hours ago, past the 1h grace. */
  private void ageAllBlobs() throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (Path f : gc.blobFiles()) {
      Files.setLastModifiedTime(f, old);
    }
  }

  private Digest layerOf(RawManifest image) {
    return ManifestRefs.parse(image.bytes()).layers().get(0);
  }

  @Test
  void run_unreferencedOldBlob_removedAndUnlinked_referencedKept() throws Exception {
    RawManifest image = Fixtures.pushImage(store, "app", "v1", 1);
    Digest orphan = Fixtures.blob(store, Fixtures.random(1234, 2));
    store.link("app", orphan);
    ageAllBlobs();

    GcReport report = gc.run(false);

    assertThat(report.removedBlobs()).containsExactly(orphan);
    assertThat(report.bytesFreed()).isEqualTo(1234);
    assertThat(report.dryRun()).isFalse();
    assertThat(store.stat(orphan)).isEmpty();
    assertThat(store.isLinked("app", orphan)).isFalse();
    assertThat(store.get("app", "v1")).contains(image);
    assertThat(store.stat(layerOf(image))).isPresent();
    assertThat(store.isLinked("app", layerOf(image))).isTrue();
  }

  @Test
  void run_taggedManifestWithOneByteFlipped_failsNamingItAndRemovesNothing() throws Exception {
    RawManifest image = Fixtures.pushImage(store, "app", "v1", 1);
    Fixtures.pushImage(store, "other", "v1", 2);
    Digest orphan = Fixtures.blob(store, Fixtures.random(300, 4));
    BlobWriter abandoned = store.create();
    Files.setLastModifiedTime(
        abandoned.dataFile(), FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    // One hex character of the layer's digest: the JSON still parses, but names another blob.
    Path manifestFile = store.layout().blob(image.digest());
    byte[] bytes = Files.readAllBytes(manifestFile);
    int at = new String(bytes, StandardCharsets.UTF_8).indexOf(layerOf(image).hex()) + 5;
    bytes[at] = (byte) (bytes[at] == 'a' ? 'b' : 'a');
    Files.write(manifestFile, bytes);
    ageAllBlobs();
    List<Path> before = gc.blobFiles();

    assertThatThrownBy(() -> gc.run(false))
        .isInstanceOf(ManifestUnreadableException.class)
        .hasMessageContaining("removed nothing")
        .hasMessageContaining("app@" + image.digest())
        .hasMessageContaining("corrupt");

    assertThat(gc.blobFiles()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(store.stat(orphan)).isPresent();
    assertThat(store.stat(layerOf(image))).isPresent();
    assertThat(store.isLinked("app", layerOf(image))).isTrue();
    assertThat(store.resume(abandoned.id())).isPresent();
  }

  @Test
  void run_manifestThatIsNotJson_failsClosed() throws Exception {
    byte[] junk = "not json at all".getBytes(StandardCharsets.UTF_8);
    RawManifest bogus = RawManifest.of(junk, MediaType.OCI_MANIFEST);
    store.put("app", bogus, "v1");
    Digest orphan = Fixtures.blob(store, "orphan");
    ageAllBlobs();

    assertThatThrownBy(() -> gc.run(false))
        .isInstanceOf(ManifestUnreadableException.class)
        .hasMessageContaining("app@" + bogus.digest())
        .hasMessageContaining("not a JSON object");
    assertThat(store.stat(orphan)).isPresent();
  }

  @Test
  void run_revisionWhoseBytesAreGone_linkAndTagRemovedAndReported() throws Exception {
    RawManifest image = Fixtures.pushImage(store, "app", "v1", 1);
    RawManifest kept = Fixtures.pushImage(store, "app", "v2", 2);
    Files.delete(store.layout().blob(image.digest()));

    GcReport report = gc.run(false);

    assertThat(report.unlinked()).containsExactly("app manifest link " + image.digest());
    assertThat(store.manifests().revisions("app")).containsExactly(kept.digest());
    assertThat(store.tags("app")).containsExactly("v2");
    assertThat(new StoreVerifier(store).verify().ok()).isTrue();
  }

  @Test
  void run_linkToBlobDeletedByOperator_unlinked() {
    Digest d = Fixtures.blob(store, "deleted by hand");
    store.link("app", d);
    store.delete(d);

    GcReport report = gc.run(false);

    assertThat(report.unlinked()).containsExactly("app blob link " + d);
    assertThat(store.links().hasLinkFile("app", d)).isFalse();
    assertThat(store.repositories()).doesNotContain("app");
  }

  @Test
  void run_youngUnreferencedBlob_kept() {
    Digest fresh = Fixtures.blob(store, "just uploaded, manifest not yet pushed");

    assertThat(gc.run(false).removedBlobs()).isEmpty();
    assertThat(store.stat(fresh)).isPresent();
  }

  @Test
  void run_dryRun_reportsButRemovesNothing() throws Exception {
    Digest orphan = Fixtures.blob(store, Fixtures.random(500, 3));
    BlobWriter abandoned = store.create();
    abandoned.write(ByteBuffer.wrap(new byte[] {1}));
    Files.setLastModifiedTime(
        abandoned.dataFile(), FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    ageAllBlobs();

    GcReport dry = gc.run(true);

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.removedBlobs()).containsExactly(orphan);
    assertThat(dry.bytesFreed()).isEqualTo(500);
    assertThat(dry.expiredUploads()).containsExactly(abandoned.id());
    assertThat(store.stat(orphan)).isPresent();
    assertThat(store.resume(abandoned.id())).isPresent();

    GcReport real = gc.run(false);
    assertThat(real.removedBlobs()).containsExactly(orphan);
    assertThat(real.expiredUploads()).containsExactly(abandoned.id());
    assertThat(store.resume(abandoned.id())).isEmpty();
  }

  @Test
  void run_blobReferencedOnlyThroughIndexChild_kept() throws Exception {
    RawManifest child = Fixtures.pushImage(store, "multi", null, 1);
    RawManifest index = Fixtures.index(List.of(child.digest()));
    store.put("multi", index, "latest");
    // The child's own revision is gone; only the index still reaches it.
    store.delete("multi", child.digest().toString());
    ageAllBlobs();

    GcReport report = gc.run(false);

    assertThat(report.removedBlobs()).isEmpty();
    assertThat(store.stat(child.digest())).isPresent();
    assertThat(store.stat(layerOf(child))).isPresent();
  }

  @Test
  void run_untaggedReferrer_andItsConfig_kept() throws Exception {
    RawManifest subject = Fixtures.pushImage(store, "app", "v1", 1);
    Digest sigConfig = Fixtures.blob(store, "{\"sig\":true}");
    RawManifest sig =
        Fixtures.image(
            sigConfig,
            List.of(),
            "\"artifactType\":\"application/vnd.example.sig\",\"subject\":"
                + Fixtures.descriptor(MediaType.OCI_MANIFEST, subject.digest(), subject.size()));
    store.put("app", sig, null);
    ageAllBlobs();

    assertThat(gc.run(false).removedBlobs()).isEmpty();
    assertThat(store.stat(sigConfig)).isPresent();
    assertThat(store.referrers("app", subject.digest())).hasSize(1);
  }

  @Test
  void run_afterManifestDeleted_itsBlobsAndManifestRemoved() throws Exception {
    RawManifest image = Fixtures.pushImage(store, "app", "v1", 1);
    Digest config = ManifestRefs.parse(image.bytes()).config();
    store.delete("app", image.digest().toString());
    ageAllBlobs();

    GcReport report = gc.run(false);

    assertThat(report.removedBlobs())
        .containsExactlyInAnyOrder(image.digest(), config, layerOf(image));
    assertThat(store.repositories()).doesNotContain("app");
  }

  @Test
  void put_referencingBlobSweptAfterCallerChecked_failsWithBlobUnknown() throws Exception {
    Digest config = Fixtures.blob(store, "{\"late\":true}");
    ageAllBlobs();
    assertThat(gc.run(false).removedBlobs()).containsExactly(config);

    RawManifest late = Fixtures.image(config, List.of(), null);
    assertThatThrownBy(() -> store.put("app", late, "v1"))
        .isInstanceOf(BlobUnknownException.class)
        .hasMessageContaining(config.toString());
    assertThat(store.get("app", "v1")).isEmpty();

    // Pushing the blob again clears the tombstone.
    Fixtures.blob(store, "{\"late\":true}");
    store.put("app", late, "v1");
    assertThat(store.get("app", "v1")).contains(late);
  }

  @Test
  @Timeout(120)
  void run_concurrentPushes_neverLoseAReferencedBlob() throws Exception {
    // Zero grace is the harshest setting: only the lock and mtime re-check protect pushes.
    store = FsStore.open(root, new StoreOptions(Duration.ofHours(24), Duration.ZERO));
    gc = new GarbageCollector(store);
    int images = 8;
    AtomicInteger raced = new AtomicInteger();
    Thread pusher =
        new Thread(
            () -> {
              for (int i = 0; i < images; i++) {
                for (int attempt = 0; ; attempt++) {
                  try {
                    Fixtures.pushImage(store, "busy", "t" + i, i);
                    break;
                  } catch (BlobUnknownException e) {
                    // The GC won between upload and link/PUT; a client re-pushes, so do we.
                    raced.incrementAndGet();
                    if (attempt > 1000) {
                      throw e;
                    }
                  }
                }
              }
            });
    pusher.start();
    int runs = 0;
    while (pusher.isAlive()) {
      gc.run(false);
      runs++;
      Thread.sleep(3);
    }
    pusher.join();
    gc.run(false);

    VerifyReport report = new StoreVerifier(store).verify();
    assertThat(report.missing()).isEmpty();
    assertThat(report.corrupt()).isEmpty();
    assertThat(store.tags("busy")).hasSize(images);
    assertThat(report.manifestsChecked()).isEqualTo(images);
    assertThat(runs).isPositive();
  }
}
