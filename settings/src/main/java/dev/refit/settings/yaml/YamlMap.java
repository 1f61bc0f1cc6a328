package dev.refit.settings.yaml;

import dev.refit.settings.Location;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping with string keys, in document order, remembering where each key was written.
 * Immutable and thread-safe.
 */
public record YamlMap(Map<String, Entry> entries, Location location) implements YamlNode {

  /** One key with its position and its value. */
  public record Entry(String key, Location keyLocation, YamlNode value) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(keyLocation, "keyLocation");
      Objects.requireNonNull(value, "value");
    }
  }

  public YamlMap {
    // LinkedHashMap copy keeps document order, which "did you mean" and error order rely on.
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    Objects.requireNonNull(location, "location");
  }

  public Set<String> keys() {
    return entries.keySet();
  }

  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
