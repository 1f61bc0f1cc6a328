package dev.refit.settings.yaml;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, located access to the keys of one YAML mapping: each accessor either returns the value
 * or throws a {@link SettingsException} that names the key, its position, what was expected and
 * what was found. Immutable and thread-safe.
 *
 * <p>A key whose value is empty ({@code key:} or {@code key: null}) counts as absent, matching how
 * Apex's PyYAML-based loader treats it.
 */
public final class MapReader {

  private final YamlMap map;
  private final String path;

  private MapReader(YamlMap map, String path) {
    this.map = map;
    this.path = path;
  }

  /**
   * Wraps {@code node}, which must be a mapping; {@code path} names it in messages (e.g.
   * "deploy_options", or "" for the document root).
   */
  public static MapReader of(YamlNode node, String path) {
    if (!(node instanceof YamlMap m)) {
      throw new SettingsException(
          node.location(),
          "expected a mapping" + where(path) + ", found " + node.describe(),
          "write 'key: value' lines here");
    }
    return new MapReader(m, path);
  }

  public YamlMap map() {
    return map;
  }

  public String path() {
    return path;
  }

  public Location location() {
    return map.location();
  }

  /** Rejects the first key that is not in {@code known}, suggesting the nearest known key. */
  public void allowOnly(Collection<String> known) {
    for (YamlMap.Entry entry : map.entries().values()) {
      if (!known.contains(entry.key())) {
        String hint = Suggestions.closest(entry.key(), known)
            .map(s -> "did you mean '" + s + "'? ")
            .orElse("");
        throw new SettingsException(
            entry.keyLocation(),
            "unknown key '" + entry.key() + "'" + where(path),
            hint + "known keys: " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** The value of {@code key}, absent when missing or empty. */
  public Optional<YamlNode> node(String key) {
    return map.entry(key)
        .map(YamlMap.Entry::value)
        .filter(v -> !(v instanceof YamlScalar s && s.isNull()));
  }

  public boolean has(String key) {
    return node(key).isPresent();
  }

  /** Where to point for a problem with {@code key}: its value if present, else the mapping. */
  public Location locationOf(String key) {
    return map.entry(key).map(e -> e.value().location()).orElse(map.location());
  }

  public Location keyLocation(String key) {
    return map.entry(key).map(YamlMap.Entry::keyLocation).orElse(map.location());
  }

  /** A string; numbers are accepted as their text (an unquoted {@code 2024} tag is fine). */
  public Optional<String> string(String key) {
    return node(key).map(n -> text(n, child(key)));
  }

  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  public String requiredString(String key) {
    return string(key).orElseThrow(() -> missing(key, "a string"));
  }

  public Optional<Boolean> bool(String key) {
    return node(key).map(n -> {
      if (n instanceof YamlScalar s && s.type() == YamlScalar.Type.BOOLEAN) {
        return Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
      }
      throw wrongType(key, n, "a boolean (true or false)");
    });
  }

  public boolean bool(String key, boolean fallback) {
    return bool(key).orElse(fallback);
  }

  /** A whole number in {@code [min, max]}. */
  public Optional<Long> integer(String key, long min, long max) {
    return node(key).map(n -> {
      long value;
      try {
        if (!(n instanceof YamlScalar s) || s.type() != YamlScalar.Type.INTEGER) {
          throw wrongType(key, n, "a whole number");
        }
        value = Long.parseLong(s.text().replace("_", ""));
      } catch (NumberFormatException e) {
        throw wrongType(key, n, "a whole number");
      }
      if (value < min || value > max) {
        throw new SettingsException(
            n.location(),
            "'" + child(key) + "' is " + value + ", outside " + min + ".." + max,
            "use a value between " + min + " and " + max);
      }
      return value;
    });
  }

  /** One of {@code choices} (case-insensitive), returned lower-case. */
  public Optional<String> choice(String key, Set<String> choices) {
    return string(key).map(value -> {
      String lower = value.toLowerCase(Locale.ROOT);
      if (choices.contains(lower)) {
        return lower;
      }
      String hint = Suggestions.closest(value, choices).map(s -> "did you mean '" + s + "'? ")
          .orElse("");
      throw new SettingsException(
          locationOf(key),
          "'" + child(key) + "' must be one of " + String.join(", ", new TreeSet<>(choices))
              + ", found '" + value + "'",
          hint + "pick one of the listed values");
    });
  }

  public Optional<MapReader> mapping(String key) {
    return node(key).map(n -> {
      if (!(n instanceof YamlMap)) {
        throw wrongType(key, n, "a mapping");
      }
      return of(n, child(key));
    });
  }

  public Optional<YamlList> list(String key) {
    return node(key).map(n -> {
      if (n instanceof YamlList l) {
        return l;
      }
      throw wrongType(key, n, "a list");
    });
  }

  /** A list of strings; absent means {@code Optional.empty()}, not an empty list. */
  public Optional<List<String>> stringList(String key) {
    return list(key).map(l -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < l.items().size(); i++) {
        out.add(text(l.items().get(i), child(key) + "[" + i + "]"));
      }
      return List.copyOf(out);
    });
  }

  /** Builds an error about the value of {@code key} (or the mapping, if the key is absent). */
  public SettingsException error(String key, String problem, String hint) {
    return new SettingsException(locationOf(key), problem, hint);
  }

  public SettingsException missing(String key, String expected) {
    return new SettingsException(
        map.location(),
        "missing key '" + child(key) + "'",
        "add '" + key + ":' with " + expected + where(path));
  }

  public SettingsException wrongType(String key, YamlNode found, String expected) {
    return new SettingsException(
        found.location(),
        "'" + child(key) + "' must be " + expected + ", found " + found.describe(),
        "change the value to " + expected);
  }

  /** The dotted path of {@code key} below this mapping, for messages. */
  public String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A scalar's text; mappings, lists, booleans and empty values are type errors. */
  public static String text(YamlNode node, String name) {
    if (node instanceof YamlScalar s
        && (s.type() == YamlScalar.Type.STRING || s.type() == YamlScalar.Type.INTEGER
            || s.type() == YamlScalar.Type.FLOAT)) {
      return s.text();
    }
    throw new SettingsException(
        node.location(),
        "'" + name + "' must be a string, found " + node.describe(),
        "write a plain value; quote it if it looks like a boolean or a number");
  }

  private static String where(String path) {
    return path.isEmpty() ? "" : " in '" + path + "'";
  }
}
