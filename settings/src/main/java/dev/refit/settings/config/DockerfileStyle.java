package dev.refit.settings.config;

/** The form of the generated per-image Dockerfiles. Immutable and thread-safe. */
public enum DockerfileStyle {
  /** COPY of pre-patched files; the build needs no network and no patch binary. */
  COPY,
  /** Apex's form: ADD of the .patch file and RUN patch -p1 in the detected path. */
  APEX
}
