package dev.refit.settings.config;

/** Which rebuilder produces patched images. Immutable and thread-safe. */
public enum Builder {
  /** refit appends its own layer to the base, without a container engine (the default). */
  DAEMONLESS,
  /** jib-core appends the same layer, without a container engine. */
  JIB,
  /** The Docker engine builds the generated Dockerfiles. */
  DOCKER
}
