package dev.refit.registry.copy;

import dev.refit.registry.client.HashingWriteStream;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Writes images into an OCI image-layout directory. A tagged manifest is named in index.json
 * ({@code org.opencontainers.image.ref.name}), a top-level one without a reference is listed
 * unnamed, and manifests stored by digest (index children) are blobs only. Blocking calls run on the {@code refit-copy-layout} worker pool. Thread-safe.
 *
 * <p>Streamed blobs are hashed while written to a hidden temporary file in the layout and renamed
 * to {@code blobs/<alg>/<hex>} only after size and digest matched; file-backed blobs go through
 * {@link OciLayout#writeBlob}, which verifies the same way.
 *
 * <p>Wired in by {@code refit mirror} (issue: air-gapped mirroring).
 */
public final class LayoutSink implements ImageSink {
  private final Vertx vertx;
  private final OciLayout layout;
  private final WorkerExecutor worker;

  public LayoutSink(Vertx vertx, OciLayout layout) {
    this.vertx = vertx;
    this.layout = layout;
    this.worker = vertx.createSharedWorkerExecutor(LayoutSource.POOL, 4);
  }

  @Override
  public Future<Boolean> hasBlob(Descriptor blob) {
    return worker.executeBlocking(() -> layout.hasBlob(blob.digest()), false);
  }

  @Override
  public Future<Boolean> mount(Descriptor blob, Origin from) {
    return Future.succeededFuture(false);
  }

  @Override
  public Future<Void> putBlob(Descriptor blob, BlobPayload payload) {
    if (payload instanceof BlobPayload.FromFile file) {
      return worker.executeBlocking(() -> {
        try (InputStream in = Files.newInputStream(file.file())) {
          layout.writeBlob(in, blob.digest());
        }
        return null;
      }, false);
    }
    return putStream(blob, (BlobPayload.FromStream) payload);
  }

  private Future<Void> putStream(Descriptor blob, BlobPayload.FromStream payload) {
    Path temp = layout.root().resolve(".incoming-" + UUID.randomUUID());
    Path target = layout.blobPath(blob.digest());
    OpenOptions create = new OpenOptions().setWrite(true).setCreateNew(true);
    return vertx.fileSystem().open(temp.toString(), create)
        .compose(file -> {
          HashingWriteStream sink = new HashingWriteStream(file, blob.digest().algorithm());
          return payload.stream().pipe().endOnComplete(false).to(sink)
              .compose(v -> file.flush())
              .eventually(file::close)
              .map(v -> sink);
        })
        .compose(sink -> {
          Digest actual = sink.digest();
          if (sink.count() != blob.size() || !actual.equals(blob.digest())) {
            return Future.failedFuture(new ImageCopyException("blob " + blob.digest() + " streamed into "
                + layout + " as " + sink.count() + " bytes hashing to " + actual + " (expected "
                + blob.size() + " bytes); nothing was stored", new DigestMismatchException(blob.digest(), actual)));
          }
          return vertx.fileSystem().mkdirs(target.getParent().toString())
              .recover(e -> Future.succeededFuture())
              .compose(v -> vertx.fileSystem().move(temp.toString(), target.toString(),
                  new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
        })
        .recover(e -> vertx.fileSystem().delete(temp.toString())
            .transform(ignored -> Future.failedFuture(e)));
  }

  @Override
  public Future<Void> putManifest(String reference, RawManifest manifest) {
    return worker.executeBlocking(() -> {
      Descriptor d = layout.writeManifest(manifest);
      if (reference == null) {
        layout.addManifest(d);
      } else if (!Digest.isValid(reference)) {
        layout.addManifest(d, reference);
      }
      return null;
    }, false);
  }

  /** Releases this instance's reference to the shared worker pool. */
  @Override
  public Future<Void> close() {
    return worker.close();
  }
}
