package dev.refit.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} must have (distribution's storage driver conformance
 * suite, in spirit). Subclasses supply a store; {@link #reopen()} must return a fresh instance
 * over the same persistent state, as after a process restart.
 */
public abstract class BlobStoreContract {

  /** A store over empty state, opened once per test. */
  protected abstract BlobStore store();

  /** A new instance over the same state as {@link #store()}, as after a restart. */
  protected abstract BlobStore reopen();

  protected static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void writeInChunks(BlobWriter w, byte[] data, int chunk) {
    for (int off = 0; off < data.length; off += chunk) {
      w.write(ByteBuffer.wrap(data, off, Math.min(chunk, data.length - off)));
    }
  }

  @Test
  void commit_matchingDigest_blobVisibleWithSizeAndBytes() throws Exception {
    byte[] data = randomBytes(300_000, 1);
    Digest d = Digest.sha256(data);
    BlobWriter w = store().create();
    writeInChunks(w, data, 8192);
    assertThat(w.size()).isEqualTo(data.length);

    BlobInfo info = w.commit(d);

    assertThat(info.digest()).isEqualTo(d);
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(Files.readAllBytes(info.path())).isEqualTo(data);
    assertThat(store().stat(d)).contains(info);
  }

  @Test
  void write_batchOfHeapAndDirectBuffersOverAMebibyte_appendedInOrder() throws Exception {
    byte[] data = randomBytes(3 * 1024 * 1024 + 123, 9);
    List<ByteBuffer> batch = new ArrayList<>();
    for (int off = 0, i = 0; off < data.length; off += 200_000, i++) {
      int n = Math.min(200_000, data.length - off);
      ByteBuffer b = i % 2 == 0 ? ByteBuffer.wrap(data, off, n) : ByteBuffer.allocateDirect(n);
      if (i % 2 == 1) {
        b.put(data, off, n).flip();
      }
      batch.add(b);
    }
    BlobWriter w = store().create();
    w.write(ByteBuffer.wrap(new byte[0]));
    w.write(batch.toArray(ByteBuffer[]::new));
    assertThat(w.size()).isEqualTo(data.length);

    BlobInfo info = w.commit(Digest.sha256(data));

    assertThat(Files.readAllBytes(info.path())).isEqualTo(data);
  }

  @Test
  void commit_digestMismatch_failsWithDigestMismatchAndStoresNothing() {
    byte[] data = randomBytes(10_000, 2);
    Digest claimed = Digest.sha256(randomBytes(10_000, 3));
    BlobWriter w = store().create();
    w.write(ByteBuffer.wrap(data));

    assertThatThrownBy(() -> w.commit(claimed))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(claimed.toString())
        .hasMessageContaining(Digest.sha256(data).toString());

    assertThat(store().stat(claimed)).isEmpty();
    assertThat(store().stat(Digest.sha256(data))).isEmpty();
    assertThat(store().resume(w.id())).isEmpty();
  }

  @Test
  void cancel_twiceAndAfterCommit_isSafe() {
    BlobWriter w = store().create();
    w.write(ByteBuffer.wrap(randomBytes(100, 4)));
    w.cancel();
    w.cancel();
    assertThat(store().resume(w.id())).isEmpty();
    assertThatThrownBy(() -> w.write(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(IllegalStateException.class);

    byte[] data = randomBytes(100, 5);
    BlobWriter w2 = store().create();
    w2.write(ByteBuffer.wrap(data));
    w2.commit(Digest.sha256(data));
    w2.cancel();
    w2.close();
    assertThat(store().stat(Digest.sha256(data))).isPresent();
  }

  @Test
  void commit_emptyBlob_isStored() {
    byte[] empty = new byte[0];
    BlobWriter w = store().create();
    BlobInfo info = w.commit(Digest.sha256(empty));
    assertThat(info.size()).isZero();
    assertThat(store().stat(Digest.sha256(empty))).isPresent();
  }

  @Test
  void commit_sameBlobFromManyThreads_allSucceedAndOneCopyStored() throws Exception {
    byte[] data = randomBytes(200_000, 6);
    Digest d = Digest.sha256(data);
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<BlobInfo>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () -> {
                  BlobWriter w = store().create();
                  start.await();
                  writeInChunks(w, data, 4096);
                  return w.commit(d);
                }));
      }
      start.countDown();
      for (Future<BlobInfo> f : results) {
        assertThat(f.get().digest()).isEqualTo(d);
      }
    } finally {
      pool.shutdownNow();
    }
    BlobInfo info = store().stat(d).orElseThrow();
    assertThat(Files.readAllBytes(info.path())).isEqualTo(data);
  }

  @Test
  void commit_sha512_verifiedEndToEnd() {
    byte[] data = randomBytes(70_000, 7);
    Digest d512 = Digest.compute(Digest.Algorithm.SHA512, data);
    BlobWriter w = store().create();
    writeInChunks(w, data, 1000);
    BlobInfo info = w.commit(d512);
    assertThat(info.digest()).isEqualTo(d512);
    assertThat(store().stat(d512)).isPresent();

    BlobWriter bad = store().create();
    bad.write(ByteBuffer.wrap(data));
    Digest wrong = Digest.compute(Digest.Algorithm.SHA512, randomBytes(10, 8));
    assertThatThrownBy(() -> bad.commit(wrong)).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void resume_liveUpload_continuesWhereItStopped() {
    byte[] data = randomBytes(50_000, 9);
    BlobWriter first = store().create();
    first.write(ByteBuffer.wrap(data, 0, 20_000));

    BlobWriter again = store().resume(first.id()).orElseThrow();
    assertThat(again.size()).isEqualTo(20_000);
    again.write(ByteBuffer.wrap(data, 20_000, 30_000));

    assertThat(again.commit(Digest.sha256(data)).size()).isEqualTo(data.length);
  }

  @Test
  void resume_afterRestart_rehashesDataFromDisk() {
    byte[] data = randomBytes(50_000, 10);
    BlobWriter first = store().create();
    first.write(ByteBuffer.wrap(data, 0, 12_345));

    BlobWriter again = reopen().resume(first.id()).orElseThrow();
    assertThat(again.size()).isEqualTo(12_345);
    again.write(ByteBuffer.wrap(data, 12_345, data.length - 12_345));

    assertThat(again.commit(Digest.sha256(data)).digest()).isEqualTo(Digest.sha256(data));
  }

  @Test
  void resume_unknownOrMalformedId_isEmpty() {
    assertThat(store().resume("00000000-0000-0000-0000-000000000000")).isEmpty();
    assertThat(store().resume("../../etc")).isEmpty();
    assertThat(store().resume("")).isEmpty();
  }

  @Test
  void appended_callerStreamsIntoDataFile_commitVerifies() throws Exception {
    byte[] data = randomBytes(40_000, 11);
    BlobWriter w = store().create();
    try (FileChannel ch = FileChannel.open(w.dataFile(), StandardOpenOption.APPEND)) {
      for (int off = 0; off < data.length; off += 10_000) {
        ByteBuffer chunk = ByteBuffer.wrap(data, off, 10_000);
        ch.write(chunk.duplicate());
        w.appended(chunk);
      }
    }
    assertThat(w.size()).isEqualTo(data.length);
    assertThat(w.commit(Digest.sha256(data)).size()).isEqualTo(data.length);
  }

  @Test
  void upload_beforeCommit_isNotVisible() {
    byte[] data = randomBytes(5_000, 12);
    BlobWriter w = store().create();
    w.write(ByteBuffer.wrap(data));
    assertThat(store().stat(Digest.sha256(data))).isEmpty();
    assertThat(reopen().stat(Digest.sha256(data))).isEmpty();
    w.cancel();
  }

  @Test
  void delete_committedBlob_goneAndSecondDeleteFalse() {
    byte[] data = randomBytes(1_000, 13);
    BlobWriter w = store().create();
    w.write(ByteBuffer.wrap(data));
    Digest d = w.commit(Digest.sha256(data)).digest();

    assertThat(store().delete(d)).isTrue();
    assertThat(store().stat(d)).isEmpty();
    assertThat(store().delete(d)).isFalse();
  }
}
