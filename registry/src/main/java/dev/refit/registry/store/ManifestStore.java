package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import java.util.List;
import java.util.Optional;

/**
 * Manifests and tags per repository. Manifest bytes live in the blob store (content-addressed);
 * this keeps the per-repository links and tag pointers. Blocking; thread-safe.
 */
public interface ManifestStore {
  /**
   * Stores {@code manifest} in {@code repo}, and points {@code tag} at it when non-null. The
   * caller has verified references; the store writes bytes exactly as given.
   */
  void put(String repo, RawManifest manifest, String tag);

  /** Looks up by tag or by digest string. */
  Optional<RawManifest> get(String repo, String reference);

  /** Deletes the manifest by digest (and every tag pointing at it), or a tag alone. */
  boolean delete(String repo, String reference);

  /** Tags of {@code repo}, sorted lexically. Empty when the repo is unknown. */
  List<String> tags(String repo);

  /** Manifests in {@code repo} whose {@code subject} is {@code subject}, as descriptors with artifactType/annotations. */
  List<dev.refit.registry.oci.Descriptor> referrers(String repo, Digest subject);
}
