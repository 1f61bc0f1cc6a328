package dev.refit.settings.config;

/** Which rebuilder produces patched images. Immutable and thread-safe. */
public enum Builder {
  /** jib-core: layers are appended without a container engine (the default). */
  DAEMONLESS,
  /** The Docker engine builds the generated Dockerfiles. */
  DOCKER
}
