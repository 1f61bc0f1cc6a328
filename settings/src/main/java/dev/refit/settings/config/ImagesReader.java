package dev.refit.settings.config;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlList;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code images} and {@code overrides} keys of refit.yaml, the two places that name
 * images. Stateless and thread-safe.
 */
final class ImagesReader {

  static final Set<String> IMAGES_KEYS = Set.of("names", "filters");
  static final Set<String> FILTER_KEYS = Set.of("include", "exclude");
  static final Set<String> OVERRIDE_KEYS = Set.of("add", "remove", "path");

  private ImagesReader() {}

  static ImagesConfig readImages(MapReader root) {
    Optional<YamlNode> node = root.node("images");
    if (node.isEmpty()) {
      return ImagesConfig.defaults();
    }
    if (node.get() instanceof YamlList) {
      return new ImagesConfig(names(root, "images"), List.of());
    }
    MapReader images = root.mapping("images").orElseThrow();
    images.allowOnly(IMAGES_KEYS);
    List<String> names = images.has("names") ? names(images, "names") : List.of();
    List<ImageFilter> filters = new ArrayList<>();
    Optional<YamlList> rules = images.list("filters");
    if (rules.isPresent()) {
      List<YamlNode> items = rules.get().items();
      for (int i = 0; i < items.size(); i++) {
        MapReader rule = MapReader.of(items.get(i), "images.filters[" + i + "]");
        rule.allowOnly(FILTER_KEYS);
        if (rule.map().keys().size() != 1) {
          throw new SettingsException(rule.location(),
              "each filter needs exactly one of 'include' or 'exclude'",
              "write '- include: REGEX' or '- exclude: REGEX', one per list item");
        }
        String key = rule.map().keys().iterator().next();
        ImageFilter.Action action = key.equals("include")
            ? ImageFilter.Action.INCLUDE : ImageFilter.Action.EXCLUDE;
        YamlNode value = rule.node(key).orElseThrow(() -> rule.missing(key, "a regex"));
        List<YamlNode> patterns = value instanceof YamlList l ? l.items() : List.of(value);
        for (YamlNode p : patterns) {
          String regex = MapReader.text(p, rule.child(key));
          filters.add(new ImageFilter(action, compile(regex, p.location()), p.location()));
        }
      }
    }
    return new ImagesConfig(names, filters);
  }

  static Pattern compile(String regex, Location at) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new SettingsException(at,
          "invalid regular expression '" + regex + "': " + e.getDescription()
              + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""),
          "fix the pattern (Java regex syntax); quote it in YAML with single quotes");
    }
  }

  private static List<String> names(MapReader reader, String key) {
    List<String> names = reader.stringList(key).orElse(List.of());
    YamlList list = reader.list(key).orElseThrow();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      checkImageName(names.get(i), list.items().get(i).location());
      Integer first = seen.putIfAbsent(names.get(i), i);
      if (first != null) {
        throw new SettingsException(list.items().get(i).location(),
            "image '" + names.get(i) + "' is listed twice in '" + reader.child(key) + "'",
            "remove the second entry");
      }
    }
    return names;
  }

  static void checkImageName(String name, Location at) {
    if (!ReferenceSyntax.IMAGE_NAME_PATTERN.matcher(name).matches()) {
      throw new SettingsException(at, "'" + name + "' is not a valid image name",
          "use the service part of the name, lower-case, without namespace, prefix or tag "
              + "(e.g. nova-api)");
    }
  }

  static Map<String, ProjectOverride> readOverrides(MapReader root) {
    Optional<MapReader> overrides = root.mapping("overrides");
    Map<String, ProjectOverride> out = new LinkedHashMap<>();
    if (overrides.isEmpty()) {
      return out;
    }
    for (YamlMap.Entry entry : overrides.get().map().entries().values()) {
      String project = entry.key().startsWith("openstack/")
          ? entry.key().substring("openstack/".length()) : entry.key();
      if (out.containsKey(project)) {
        throw new SettingsException(entry.keyLocation(),
            "override for project '" + project + "' is given twice (with and without openstack/)",
            "merge the two entries");
      }
      MapReader o = overrides.get().mapping(entry.key())
          .orElseThrow(() -> new SettingsException(entry.keyLocation(),
              "override for '" + entry.key() + "' is empty", "add 'add', 'remove' or 'path'"));
      o.allowOnly(OVERRIDE_KEYS);
      List<String> add = o.has("add") ? names(o, "add") : List.of();
      List<String> remove = o.has("remove") ? names(o, "remove") : List.of();
      String path = o.string("path").orElse(null);
      if (path != null && (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")
          || path.contains("//"))) {
        throw o.error("path", "'" + o.child("path") + "' must be a clean absolute path inside "
            + "the image, found '" + path + "'", "e.g. /usr/lib/python3.9/site-packages/nova");
      }
      out.put(project, new ProjectOverride(project, add, remove, path, entry.keyLocation()));
    }
    return out;
  }
}
