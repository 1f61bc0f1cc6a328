package dev.refit.settings.config;

import java.util.Objects;

/** The tag patched images are published under. Immutable and thread-safe. */
public record TagConfig(String name, TagSuffix suffix) {

  public static final String DEFAULT_NAME = "apex";

  public TagConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(suffix, "suffix");
  }

  public static TagConfig defaults() {
    return new TagConfig(DEFAULT_NAME, TagSuffix.NONE);
  }
}
