package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreVerifierTest {
  @TempDir Path root;
  private FsStore store;

  @BeforeEach
  void open() {
    store = FsStore.open(root, StoreOptions.defaults());
  }

  @Test
  void verify_healthyStore_ok() {
    Fixtures.pushImage(store, "a", "v1", 1);
    Fixtures.pushImage(store, "b/c", "v1", 2);

    VerifyReport report = new StoreVerifier(store).verify();

    assertThat(report.ok()).isTrue();
    assertThat(report.blobsChecked()).isEqualTo(6);
    assertThat(report.manifestsChecked()).isEqualTo(2);
  }

  @Test
  void verify_corruptBlob_namedInReport() throws Exception {
    RawManifest image = Fixtures.pushImage(store, "a", "v1", 1);
    Digest layer = ManifestRefs.parse(image.bytes()).layers().get(0);
    Path file = store.stat(layer).orElseThrow().path();
    byte[] bytes = Files.readAllBytes(file);
    bytes[100] ^= 1;
    Files.write(file, bytes);

    VerifyReport report = new StoreVerifier(store).verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.corrupt()).singleElement().asString().contains(layer.toString());
    assertThat(report.missing()).isEmpty();
  }

  @Test
  void verify_deletedReferencedBlobs_namedAsMissing() {
    RawManifest image = Fixtures.pushImage(store, "a", "v1", 1);
    ManifestRefs refs = ManifestRefs.parse(image.bytes());
    RawManifest index = Fixtures.index(List.of(image.digest()));
    store.put("a", index, "multi");
    store.delete(refs.config());
    store.delete(image.digest());

    VerifyReport report = new StoreVerifier(store).verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.missing())
        .anySatisfy(s -> assertThat(s).contains("child manifest " + image.digest()))
        .anySatisfy(s -> assertThat(s).contains("a@" + image.digest()).contains("manifest bytes"));
    assertThat(report.corrupt()).isEmpty();
  }

  @Test
  void verify_deletedConfig_namedAsMissing() {
    RawManifest image = Fixtures.pushImage(store, "a", "v1", 1);
    Digest config = ManifestRefs.parse(image.bytes()).config();
    store.delete(config);

    VerifyReport report = new StoreVerifier(store).verify();

    assertThat(report.missing())
        .containsExactlyInAnyOrder(
            "a@" + image.digest() + " references config " + config + ", which is missing",
            "a links blob " + config + ", which the blob store no longer has"
                + " (dangling link; 'refit registry gc' removes it)");
  }

  @Test
  void verify_danglingBlobAndManifestLinks_reported_andGcRemovesThem() {
    RawManifest kept = Fixtures.pushImage(store, "a", "v1", 1);
    RawManifest lost = Fixtures.pushImage(store, "a", "v2", 2);
    Digest orphanLink = Fixtures.blob(store, "linked, then deleted by hand");
    store.link("b", orphanLink);
    store.delete(orphanLink);
    store.delete(lost.digest());

    VerifyReport before = new StoreVerifier(store).verify();

    assertThat(before.missing())
        .anySatisfy(s -> assertThat(s).startsWith("b links blob " + orphanLink)
            .contains("dangling link"))
        .anySatisfy(s -> assertThat(s).startsWith("a@" + lost.digest())
            .contains("manifest bytes are missing").contains("dangling link"));

    GcReport gc = new GarbageCollector(store).run(false);

    assertThat(gc.unlinked())
        .containsExactlyInAnyOrder("b blob link " + orphanLink, "a manifest link " + lost.digest());
    assertThat(new StoreVerifier(store).verify().ok()).isTrue();
    assertThat(store.repositories()).containsExactly("a");
    assertThat(store.get("a", "v1")).contains(kept);
    assertThat(store.get("a", "v2")).isEmpty();
  }
}
