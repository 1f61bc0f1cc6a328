package dev.refit.registry.copy;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Reads images from an OCI image-layout directory; its blocking calls run on the
 * {@code refit-copy-layout} worker pool. Thread-safe.
 *
 * <p>References are an index.json {@code org.opencontainers.image.ref.name}, a digest, {@code @N}
 * (the N-th index.json entry, as skopeo's {@code oci:DIR:@N}) or null for the only entry.
 */
public final class LayoutSource implements ImageSource {
  static final String POOL = "refit-copy-layout";

  private final OciLayout layout;
  private final WorkerExecutor worker;

  public LayoutSource(Vertx vertx, OciLayout layout) {
    this.layout = layout;
    this.worker = vertx.createSharedWorkerExecutor(POOL, 4);
  }

  @Override
  public Future<RawManifest> manifest(String reference) {
    return worker.executeBlocking(() -> layout.readManifest(descriptorOf(reference)), false)
        .map(LayoutSource::withMediaType);
  }

  @Override
  public Future<BlobPayload> blob(Descriptor blob) {
    return worker.executeBlocking(() -> {
      long size = layout.blobSize(blob.digest());
      if (size != blob.size()) {
        throw new ImageCopyException("blob " + blob.digest() + " in " + layout + " has " + size
            + " bytes, its descriptor says " + blob.size());
      }
      return new BlobPayload.FromFile(layout.blobPath(blob.digest()));
    }, false);
  }

  private Descriptor descriptorOf(String reference) {
    if (reference != null && Digest.isValid(reference)) {
      Digest digest = Digest.parse(reference);
      return layout.readIndex().manifests().stream().filter(d -> d.digest().equals(digest)).findFirst()
          .orElseGet(() -> Descriptor.of(null, digest, layout.blobSize(digest)));
    }
    if (reference != null && reference.matches("@\\d+")) {
      return layout.resolve(Integer.parseInt(reference.substring(1)));
    }
    return layout.resolve(reference);
  }

  /** A child found only by digest has no descriptor media type; its own mediaType field says it. */
  private static RawManifest withMediaType(RawManifest raw) {
    if (raw.mediaType() != null) {
      return raw;
    }
    String mediaType = ManifestContent.parse(raw.bytes(), null).mediaType();
    return RawManifest.verified(raw.bytes(), mediaType, raw.digest());
  }

  /** Releases this instance's reference to the shared worker pool. */
  @Override
  public Future<Void> close() {
    return worker.close();
  }
}
