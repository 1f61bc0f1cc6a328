package dev.refit.pipeline.mirror;

/**
 * Names a source repository below the destination as {@code skopeo sync --dest docker} does
 * ({@code cmd/skopeo/sync.go}: {@code path.Base} of the source reference unless {@code --scoped}),
 * or keeping the repository path, which is what {@code refit prepare} expects of a mirror.
 */
public enum DestinationNaming {
  /** skopeo's default: the last path component, {@code quay.io/ceph/ceph-grafana} → {@code ceph-grafana}. */
  BASE,
  /** {@code --scoped}: the registry host and the whole path, {@code quay.io/ceph/ceph-grafana}. */
  SCOPED,
  /** {@code --keep-path}: the path without the host, {@code ceph/ceph-grafana}. */
  PATH;

  String name(String registry, String repository) {
    return switch (this) {
      case BASE -> repository.substring(repository.lastIndexOf('/') + 1);
      case SCOPED -> registry == null ? repository : registry + "/" + repository;
      case PATH -> repository;
    };
  }
}
