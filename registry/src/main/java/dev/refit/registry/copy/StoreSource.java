package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Reads one repository of a local {@link FsStore}; the store's blocking calls run on the
 * {@code refit-copy-store} worker pool. Thread-safe.
 *
 * <p>Wired in by {@code refit mirror} (issue: air-gapped mirroring).
 */
public final class StoreSource implements ImageSource {
  static final String POOL = "refit-copy-store";

  private final FsStore store;
  private final String repository;
  private final WorkerExecutor worker;

  public StoreSource(Vertx vertx, FsStore store, String repository) {
    this.store = store;
    this.repository = repository;
    this.worker = vertx.createSharedWorkerExecutor(POOL, 4);
  }

  @Override
  public Future<RawManifest> manifest(String reference) {
    return worker.executeBlocking(() -> {
      RawManifest raw = store.get(repository, reference).orElseThrow(() -> new ImageCopyException(
          "manifest " + reference + " not found in store repository " + repository));
      if (Digest.isValid(reference) && !raw.digest().equals(Digest.parse(reference))) {
        throw new ImageCopyException("store repository " + repository + " returned " + raw.digest()
            + " for " + reference + "; run refit registry verify");
      }
      return raw;
    }, false);
  }

  /** The committed file itself: store blobs are immutable once visible. */
  @Override
  public Future<BlobPayload> blob(Descriptor blob) {
    return worker.executeBlocking(() -> {
      BlobInfo info = store.stat(blob.digest()).filter(i -> store.isLinked(repository, blob.digest()))
          .orElseThrow(() -> new ImageCopyException(
              "blob " + blob.digest() + " not found in store repository " + repository));
      return new BlobPayload.FromFile(info.path());
    }, false);
  }

  @Override
  public Future<Referrers> referrers(Digest subject) {
    return worker.executeBlocking(() -> new Referrers(store.referrers(repository, subject)), false);
  }

  /** Releases this instance's reference to the shared worker pool. */
  @Override
  public Future<Void> close() {
    return worker.close();
  }
}
