package dev.refit.pipeline.diff;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.store.RepositoryName;

/**
 * A name in the local registry: {@code repo:tag}, {@code repo@sha256:...} or {@code repo}
 * (tag {@code latest}). Immutable.
 */
public record StoreRef(String repository, String reference) {

  public static StoreRef parse(String value) {
    String repo;
    String ref;
    int at = value.indexOf('@');
    int colon = value.lastIndexOf(':');
    if (at >= 0) {
      repo = value.substring(0, at);
      ref = value.substring(at + 1);
    } else if (colon > value.lastIndexOf('/')) {
      repo = value.substring(0, colon);
      ref = value.substring(colon + 1);
    } else {
      repo = value;
      ref = "latest";
    }
    if (!RepositoryName.isValid(repo) || ref.isEmpty()) {
      throw new RefitException("'" + value + "' is not an image in the local registry",
          "write REPO:TAG or REPO@sha256:..., or name another source: docker://HOST/REPO:TAG,"
              + " oci:DIR:NAME, oci-archive:FILE:NAME, docker-archive:FILE[:NAME], bundle:FILE:NAME",
          ExitCode.USAGE);
    }
    return new StoreRef(repo, ref);
  }

  @Override
  public String toString() {
    return StoreDiffs.shown(repository, reference);
  }
}
