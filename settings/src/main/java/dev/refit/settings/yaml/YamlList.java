package dev.refit.settings.yaml;

import dev.refit.settings.Location;
import java.util.List;
import java.util.Objects;

/** A YAML sequence. Immutable and thread-safe. */
public record YamlList(List<YamlNode> items, Location location) implements YamlNode {

  public YamlList {
    items = List.copyOf(items);
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String describe() {
    return "a list";
  }
}
