package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.StoreException;

/**
 * Garbage collection stopped before removing anything, because a manifest it must follow could
 * not be read: without its references it cannot tell which blobs are still needed. Immutable.
 */
public final class ManifestUnreadableException extends StoreException {
  ManifestUnreadableException(String repository, Digest manifest, String why) {
    this(repository, manifest, why, null);
  }

  ManifestUnreadableException(String repository, Digest manifest, String why, Throwable cause) {
    super("gc stopped and removed nothing: manifest " + repository + "@" + manifest
            + " cannot be read: " + why,
        "run 'refit registry verify'; then push that image again, or delete the manifest"
            + " (DELETE /v2/" + repository + "/manifests/" + manifest + "), and rerun gc",
        cause);
  }
}
