package dev.refit.settings.yaml;

import dev.refit.settings.Location;

/**
 * One node of a parsed YAML document that remembers where it was written, so every later
 * validation error can name file, line and column. Immutable and thread-safe.
 *
 * <p>Jackson's {@code JsonNode} drops token locations, which is why settings keep their own
 * small tree built from the streaming parser.
 */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

  /** Where the node starts. */
  Location location();

  /** A short noun for messages: "a mapping", "a list", "a string", "a number"... */
  String describe();
}
