package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;
import java.util.List;

/**
 * Which blobs are linked into which repository, and which repositories exist. A blob GET in a
 * repository succeeds only when the blob is linked there (distribution semantics), which is what
 * makes cross-repository mount meaningful. Blocking; thread-safe.
 */
public interface RepositoryStore {
  void link(String repo, Digest blob);

  boolean isLinked(String repo, Digest blob);

  boolean unlink(String repo, Digest blob);

  /** All repository names, sorted lexically. */
  List<String> repositories();
}
