package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Writes one repository of a local {@link FsStore}. Blobs go through a {@link BlobWriter}, so the
 * store's commit verifies the digest before anything is visible; blocking calls run on the
 * {@code refit-copy-store} worker pool. Thread-safe.
 *
 * <p>Wired in by {@code refit mirror} (issue: air-gapped mirroring).
 */
public final class StoreSink implements ImageSink {
  private static final int COPY_BUFFER = 1024 * 1024;

  private final FsStore store;
  private final String repository;
  private final WorkerExecutor worker;

  public StoreSink(Vertx vertx, FsStore store, String repository) {
    this.store = store;
    this.repository = repository;
    this.worker = vertx.createSharedWorkerExecutor(StoreSource.POOL, 4);
  }

  @Override
  public Future<Boolean> hasBlob(Descriptor blob) {
    return worker.executeBlocking(() -> store.isLinked(repository, blob.digest()), false);
  }

  /** The store is content-addressed: a blob held for any repository is linked, not copied. */
  @Override
  public Future<Boolean> mount(Descriptor blob, Origin from) {
    return worker.executeBlocking(() -> {
      if (store.stat(blob.digest()).isEmpty()) {
        return false;
      }
      store.link(repository, blob.digest());
      return true;
    }, false);
  }

  @Override
  public Future<Void> putBlob(Descriptor blob, BlobPayload payload) {
    return worker.executeBlocking(store::create, false).compose(writer -> fill(writer, payload)
        .compose(v -> worker.<Void>executeBlocking(() -> {
          if (writer.size() != blob.size()) {
            throw new ImageCopyException("blob " + blob.digest() + " has " + writer.size()
                + " bytes, its descriptor says " + blob.size());
          }
          writer.commit(blob.digest());
          store.link(repository, blob.digest());
          return null;
        }, false))
        .recover(e -> worker.executeBlocking(() -> {
          writer.cancel();
          return null;
        }, false).transform(ignored -> Future.failedFuture(e))));
  }

  /** Files are copied on the worker in large reads; streams are appended buffer by buffer. */
  private Future<Void> fill(BlobWriter writer, BlobPayload payload) {
    if (payload instanceof BlobPayload.FromFile file) {
      return worker.executeBlocking(() -> {
        try (FileChannel in = FileChannel.open(file.file(), StandardOpenOption.READ)) {
          ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
          while (in.read(buffer) >= 0) {
            buffer.flip();
            writer.write(buffer);
            buffer.clear();
          }
        }
        return null;
      }, false);
    }
    return ((BlobPayload.FromStream) payload).stream().pipeTo(new BlobWriterStream(writer, worker));
  }

  @Override
  public Future<Void> putManifest(String reference, RawManifest manifest) {
    String tag = reference == null || Digest.isValid(reference) ? null : reference;
    if (reference != null && tag == null && !Digest.parse(reference).equals(manifest.digest())) {
      return Future.failedFuture(new ImageCopyException("manifest " + manifest.digest()
          + " cannot be stored under the different digest " + reference));
    }
    return worker.executeBlocking(() -> {
      store.put(repository, manifest, tag);
      return null;
    }, false);
  }

  /** Releases this instance's reference to the shared worker pool. */
  @Override
  public Future<Void> close() {
    return worker.close();
  }
}
