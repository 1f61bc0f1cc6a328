package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Somewhere images are written to. A sink verifies each blob's digest before the blob becomes
 * visible, and stores manifest bytes exactly as given. Implementations are thread-safe and never
 * block the calling event loop.
 */
public interface ImageSink {

  /** True when the sink already holds the blob where the image will be. */
  Future<Boolean> hasBlob(Descriptor blob);

  /**
   * Makes the blob available without transferring bytes when the sink can (a registry mount
   * from {@code from}, or a content-addressed store that has it already). False when not.
   *
   * @param from the source's origin, or null when it has none
   */
  Future<Boolean> mount(Descriptor blob, Origin from);

  /** Receives the blob, verifying size and digest before it is visible. */
  Future<Void> putBlob(Descriptor blob, BlobPayload payload);

  /**
   * Stores the manifest under a tag or its digest string (index children); children must
   * already be present. A null reference stores a top-level image by digest only (an OCI layout
   * lists it in index.json without a name).
   */
  Future<Void> putManifest(String reference, RawManifest manifest);

  /**
   * Makes {@code referrers}, already stored by digest, discoverable from {@code subject}. Sinks
   * that index subjects as manifests arrive (the store, a registry with the referrers API, an
   * OCI layout listing every manifest) have nothing to do.
   */
  default Future<Void> putReferrers(Digest subject, Referrers referrers) {
    return Future.succeededFuture();
  }

  /**
   * Where blobs this sink received live, so a later copy to another repository of the same
   * registry can mount them from here; empty when the sink is not a registry repository.
   */
  default Optional<Origin> origin() {
    return Optional.empty();
  }

  /** Releases what the sink owns (e.g. an HTTP client it created); safe to call twice. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
