package dev.refit.settings.yaml;

import dev.refit.settings.Location;
import java.util.Objects;

/**
 * A YAML scalar with the type YAML resolved for it (a quoted {@code "true"} stays a string).
 * Immutable and thread-safe.
 */
public record YamlScalar(String text, Type type, Location location) implements YamlNode {

  /** The resolved scalar type, as Jackson's YAML parser reports it. */
  public enum Type {
    STRING("a string"),
    INTEGER("a number"),
    FLOAT("a number"),
    BOOLEAN("a boolean"),
    NULL("an empty value");

    private final String noun;

    Type(String noun) {
      this.noun = noun;
    }
  }

  public YamlScalar {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(location, "location");
  }

  public boolean isNull() {
    return type == Type.NULL;
  }

  @Override
  public String describe() {
    return type.noun + (type == Type.NULL ? "" : " (" + text + ")");
  }
}
