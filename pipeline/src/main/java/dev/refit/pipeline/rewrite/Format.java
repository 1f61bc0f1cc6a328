package dev.refit.pipeline.rewrite;

/** The image-list formats refit rewrites, detected by content (see {@link FormatDetector}). Immutable; thread-safe. */
public enum Format {
  /** A TripleO/Apex heat environment: {@code parameter_defaults} with {@code Docker*Image} or {@code Container*Image} keys. */
  TRIPLEO_ENV,
  /** {@code overcloud_containers.yaml}: {@code container_images:} entries with {@code imagename}. */
  OVERCLOUD_CONTAINERS,
  /** {@code containers-prepare-parameter.yaml}: {@code parameter_defaults.ContainerImagePrepare} entries. */
  CONTAINER_IMAGE_PREPARE,
  /** Shell commands {@code ceph config set mgr mgr/cephadm/container_image_<name> <ref>}. */
  CEPHADM_COMMANDS,
  /** A ceph.conf-style file for {@code ceph config assimilate-conf}, {@code [mgr]} section. */
  CEPHADM_CONF
}
