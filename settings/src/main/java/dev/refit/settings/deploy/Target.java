package dev.refit.settings.deploy;

import java.util.Locale;

/** Which TripleO cloud a patch list is for. Immutable and thread-safe. */
public enum Target {
  UNDERCLOUD,
  OVERCLOUD;

  /** The YAML key naming this list ({@code undercloud} or {@code overcloud}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
