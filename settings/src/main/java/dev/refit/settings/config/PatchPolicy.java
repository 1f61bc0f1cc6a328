package dev.refit.settings.config;

/** How refit treats patches it cannot place or apply cleanly. Immutable and thread-safe. */
public enum PatchPolicy {
  /** A patch mapping to no image is an error; hunks must match exactly (offset allowed). */
  STRICT,
  /** Such a patch is a warning; hunks may apply with the configured fuzz. */
  LENIENT
}
