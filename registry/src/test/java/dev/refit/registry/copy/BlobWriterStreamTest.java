package dev.refit.registry.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many small buffers reach the store as a few large appends, byte for byte and in order. */
class BlobWriterStreamTest {
  private static final int READ_SIZE = 8192;

  @TempDir Path tmp;

  @Test
  void pipe_smallBuffers_areAppendedInBatchesByteForByte() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      byte[] blob = new byte[3 * 1024 * 1024 + 123];
      new Random(7).nextBytes(blob);
      Path source = Files.write(tmp.resolve("source"), blob);
      Digest digest = Digest.compute(Digest.Algorithm.SHA256, blob);
      Path root = tmp.resolve("store");
      FsStore store = FsStore.open(root, StoreOptions.defaults());
      AtomicInteger appends = new AtomicInteger();
      BlobWriter writer = counting(store.create(), appends);
      WorkerExecutor worker = vertx.createSharedWorkerExecutor("refit-test-store", 2);

      vertx.fileSystem().open(source.toString(), new OpenOptions().setRead(true))
          .compose(file -> file.setReadBufferSize(READ_SIZE).pipeTo(new BlobWriterStream(writer, worker)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      BlobInfo info = worker.executeBlocking(() -> writer.commit(digest))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      assertThat(info.size()).isEqualTo(blob.length);
      assertThat(Files.readAllBytes(FsStore.blobFile(root, digest))).isEqualTo(blob);
      assertThat(appends.get()).as("appends for %d reads of %d bytes", blob.length / READ_SIZE + 1, READ_SIZE)
          .isBetween(2, blob.length / BlobWriterStream.MIN_BATCH_BYTES + 1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The store's own writer, counting the append calls that reach it. */
  private static BlobWriter counting(BlobWriter real, AtomicInteger appends) {
    return new BlobWriter() {
      @Override public String id() { return real.id(); }
      @Override public long size() { return real.size(); }
      @Override public void write(ByteBuffer... bytes) {
        appends.incrementAndGet();
        real.write(bytes);
      }
      @Override public Path dataFile() { return real.dataFile(); }
      @Override public void appended(ByteBuffer chunk) { real.appended(chunk); }
      @Override public BlobInfo commit(Digest expected) { return real.commit(expected); }
      @Override public void cancel() { real.cancel(); }
    };
  }
}
