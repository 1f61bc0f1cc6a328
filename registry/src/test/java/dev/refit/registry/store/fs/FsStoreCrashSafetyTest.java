package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restart after a crash mid-upload or mid-tag-write leaves visible: nothing partial. */
class FsStoreCrashSafetyTest {
  @TempDir Path root;

  private static long regularFilesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void uncommittedUpload_afterRestart_isNotABlobAndExpiresLater() throws Exception {
    FsStore before = FsStore.open(root, StoreOptions.defaults());
    byte[] data = Fixtures.random(100_000, 1);
    BlobWriter w = before.create();
    w.write(ByteBuffer.wrap(data));
    // "Crash": no commit, no cancel; a new process opens the same root.

    FsStore after = FsStore.open(root, StoreOptions.defaults().withUploadExpiry(Duration.ofHours(1)));

    assertThat(after.stat(Digest.sha256(data))).isEmpty();
    assertThat(regularFilesUnder(root.resolve("blobs"))).isZero();
    assertThat(after.expireUploads()).isZero();
    assertThat(after.resume(w.id())).isPresent();

    Files.setLastModifiedTime(
        w.dataFile(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    assertThat(after.expireUploads()).isEqualTo(1);
    assertThat(after.resume(w.id())).isEmpty();
    assertThat(regularFilesUnder(root.resolve("uploads"))).isZero();
  }

  @Test
  void expireUploads_liveWriterCancelled_andYoungUploadsKept() throws Exception {
    FsStore store = FsStore.open(root, StoreOptions.defaults().withUploadExpiry(Duration.ofMinutes(5)));
    BlobWriter old = store.create();
    old.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    BlobWriter young = store.create();
    young.write(ByteBuffer.wrap(new byte[] {4}));
    Files.setLastModifiedTime(old.dataFile(), FileTime.from(Instant.now().minusSeconds(600)));

    assertThat(store.expireUploads()).isEqualTo(1);

    assertThat(store.resume(old.id())).isEmpty();
    assertThat(store.resume(young.id())).containsSame(young);
    byte[] rest = {5, 6};
    young.write(ByteBuffer.wrap(rest));
    assertThat(young.commit(Digest.sha256(new byte[] {4, 5, 6})).size()).isEqualTo(3);
  }

  @Test
  void leftoverTempTagFile_isNotATagAndTagStaysIntact() throws Exception {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    RawManifest m = Fixtures.pushImage(store, "r", "latest", 1);
    Path tags = root.resolve("repositories/r/_manifests/tags");
    // A crash between writing a temp tag and renaming it leaves this behind.
    Files.writeString(tags.resolve(".latest.0f0e.tmp"), "sha256:tor");

    FsStore after = FsStore.open(root, StoreOptions.defaults());
    assertThat(after.tags("r")).containsExactly("latest");
    assertThat(after.get("r", "latest")).contains(m);
  }

  @Test
  void digestMismatch_leavesNoFilesBehind() throws Exception {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    BlobWriter w = store.create();
    w.write(ByteBuffer.wrap(Fixtures.random(1000, 2)));
    try {
      w.commit(Digest.sha256(new byte[] {0}));
    } catch (RuntimeException expected) {
      // asserted in the contract suite
    }
    assertThat(regularFilesUnder(root.resolve("blobs"))).isZero();
    assertThat(regularFilesUnder(root.resolve("uploads"))).isZero();
  }
}
