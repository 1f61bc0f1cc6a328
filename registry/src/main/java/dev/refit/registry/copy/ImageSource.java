package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Somewhere images are read from: a registry, a store, an OCI layout. Implementations are
 * thread-safe and never block the calling event loop.
 */
public interface ImageSource {

  /** The exact manifest bytes for a tag or digest; fetched by digest, they hash to it. */
  Future<RawManifest> manifest(String reference);

  /** The blob's bytes; a missing blob fails the future with a message naming it. */
  Future<BlobPayload> blob(Descriptor blob);

  /**
   * The manifests whose {@code subject} is {@code subject}; none when the source keeps no
   * referrers.
   */
  default Future<Referrers> referrers(Digest subject) {
    return Future.succeededFuture(Referrers.NONE);
  }

  /** Registry and repository when the source is a registry, for cross-repository mounts. */
  default Optional<Origin> origin() {
    return Optional.empty();
  }

  /** Releases what the source owns (e.g. an HTTP client it created); safe to call twice. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
