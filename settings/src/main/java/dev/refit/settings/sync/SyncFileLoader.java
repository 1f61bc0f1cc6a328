package dev.refit.settings.sync;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlList;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlNode;
import dev.refit.settings.yaml.YamlScalar;
import dev.refit.settings.yaml.YamlTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a skopeo-sync YAML file (skopeo-sync(1) "YAML file content", {@code cmd/skopeo/sync.go}
 * {@code registrySyncConfig}) with refit's keys under each registry's {@code refit:}. skopeo
 * ignores {@code refit:}, so one file serves both tools. Unlike skopeo, an unknown or misspelt
 * key is an error with its file:line:column and the key probably meant. Blocking; stateless.
 */
public final class SyncFileLoader {
  static final Set<String> REGISTRY_KEYS = Set.of(
      "images", "images-by-tag-regex", "images-by-semver", "tls-verify", "credentials", "cert-dir", "refit");
  static final Set<String> REFIT_KEYS = Set.of("platforms", "retag", "assemble");

  // distribution/reference: path components, tags, digests.
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[a-z0-9._/-]+)?");
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?");

  private SyncFileLoader() {}

  public static SyncFile load(Path file) {
    MapReader root = MapReader.of(YamlTree.parse(file), "");
    List<SyncRegistry> registries = new ArrayList<>();
    for (YamlMap.Entry entry : root.map().entries().values()) {
      registries.add(registry(entry));
    }
    return new SyncFile(file, registries);
  }

  private static SyncRegistry registry(YamlMap.Entry entry) {
    String host = entry.key();
    if (REGISTRY_KEYS.contains(host)) {
      throw new SettingsException(entry.keyLocation(), "'" + host + "' at the top level",
          "top-level keys are registry hosts: indent '" + host + ":' under one, e.g. 'quay.io:'");
    }
    if (!HOST.matcher(host).matches() || host.contains("://")) {
      throw new SettingsException(entry.keyLocation(), "'" + host + "' is not a registry host",
          "write host[:port], e.g. quay.io or 127.0.0.1:5000, without a scheme");
    }
    if (entry.value() instanceof YamlScalar s && s.isNull()) {
      return new SyncRegistry(host, entry.keyLocation(), Map.of(), Map.of(), null, null, null,
          List.of(), Map.of(), Map.of());
    }
    MapReader r = MapReader.of(entry.value(), host);
    r.allowOnly(REGISTRY_KEYS);
    if (r.has("images-by-semver")) {
      throw new SettingsException(r.keyLocation("images-by-semver"),
          "'images-by-semver' is not supported by refit yet (nor by skopeo 1.9)",
          "list the tags under 'images', or select them with 'images-by-tag-regex'");
    }
    Map<String, List<String>> images = images(r);
    Map<String, Pattern> regex = tagRegex(r);
    SyncCredentials credentials = r.mapping("credentials").map(c -> {
      c.allowOnly(Set.of("username", "password"));
      return new SyncCredentials(c.requiredString("username"), c.requiredString("password"));
    }).orElse(null);
    Path certDir = r.string("cert-dir").map(Path::of).orElse(null);
    Boolean tlsVerify = r.bool("tls-verify").orElse(null);
    MapReader refit = r.mapping("refit").orElse(null);
    List<String> platforms = List.of();
    Map<String, Map<String, String>> retag = Map.of();
    Map<String, Map<String, List<String>>> assemble = Map.of();
    if (refit != null) {
      refit.allowOnly(REFIT_KEYS);
      platforms = platforms(refit);
      retag = retag(refit);
      assemble = assemble(refit);
    }
    return new SyncRegistry(host, entry.keyLocation(), images, regex, tlsVerify, credentials, certDir,
        platforms, retag, assemble);
  }

  /** repository → tags or digests; {@code name: []} and {@code name:} both mean every tag. */
  private static Map<String, List<String>> images(MapReader r) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (YamlMap.Entry image : entries(r, "images")) {
      String name = repository(image, r.child("images"));
      List<String> refs = new ArrayList<>();
      if (!isNull(image.value())) {
        if (!(image.value() instanceof YamlList list)) {
          throw new SettingsException(image.value().location(), "'" + r.child("images") + "." + name
              + "' must be a list of tags or digests, found " + image.value().describe(),
              "write [] for every tag, or list them: [\"1.0\", \"2.0\"]");
        }
        for (YamlNode item : list.items()) {
          refs.add(tagOrDigest(item, r.child("images") + "." + name));
        }
      }
      out.put(name, List.copyOf(refs));
    }
    return out;
  }

  private static Map<String, Pattern> tagRegex(MapReader r) {
    Map<String, Pattern> out = new LinkedHashMap<>();
    for (YamlMap.Entry image : entries(r, "images-by-tag-regex")) {
      String name = repository(image, r.child("images-by-tag-regex"));
      String regex = MapReader.text(image.value(), r.child("images-by-tag-regex") + "." + name);
      try {
        out.put(name, Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new SettingsException(image.value().location(), "invalid tag regex '" + regex + "': "
            + e.getDescription(), "write a regular expression such as ^1\\.13\\.[12]-alpine$");
      }
    }
    return out;
  }

  private static List<String> platforms(MapReader refit) {
    List<String> out = new ArrayList<>();
    YamlList list = refit.list("platforms").orElse(null);
    if (list == null) {
      return out;
    }
    for (YamlNode item : list.items()) {
      String value = MapReader.text(item, refit.child("platforms"));
      if (!PLATFORM.matcher(value).matches()) {
        throw new SettingsException(item.location(), "'" + value + "' is not a platform",
            "write os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8");
      }
      out.add(value);
    }
    return out;
  }

  private static Map<String, Map<String, String>> retag(MapReader refit) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (YamlMap.Entry image : entries(refit, "retag")) {
      String name = repository(image, refit.child("retag"));
      MapReader tags = MapReader.of(image.value(), refit.child("retag") + "." + name);
      Map<String, String> map = new LinkedHashMap<>();
      for (YamlMap.Entry tag : tags.map().entries().values()) {
        String from = tag(tag.key(), tag.keyLocation(), tags.path());
        map.put(from, tag(MapReader.text(tag.value(), tags.child(from)), tag.value().location(), tags.child(from)));
      }
      out.put(name, map);
    }
    return out;
  }

  private static Map<String, Map<String, List<String>>> assemble(MapReader refit) {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    for (YamlMap.Entry image : entries(refit, "assemble")) {
      String name = repository(image, refit.child("assemble"));
      MapReader tags = MapReader.of(image.value(), refit.child("assemble") + "." + name);
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (YamlMap.Entry tag : tags.map().entries().values()) {
        String target = tag(tag.key(), tag.keyLocation(), tags.path());
        List<String> parts = tags.stringList(target).orElse(List.of());
        if (parts.isEmpty()) {
          throw new SettingsException(tag.value().location(), "'" + tags.child(target)
              + "' must list the per-platform tags to assemble",
              "e.g. " + target + ": [" + target + "-x86_64, " + target + "-aarch64]");
        }
        YamlList items = (YamlList) tag.value();
        for (int i = 0; i < parts.size(); i++) {
          tag(parts.get(i), items.items().get(i).location(), tags.child(target));
        }
        map.put(target, parts);
      }
      out.put(name, map);
    }
    return out;
  }

  private static List<YamlMap.Entry> entries(MapReader r, String key) {
    return r.mapping(key).map(m -> List.copyOf(m.map().entries().values())).orElse(List.of());
  }

  private static String repository(YamlMap.Entry image, String where) {
    if (!REPOSITORY.matcher(image.key()).matches()) {
      throw new SettingsException(image.keyLocation(), "'" + image.key() + "' in '" + where
          + "' is not a repository name", "use lower-case path components such as ceph/ceph-grafana");
    }
    return image.key();
  }

  private static String tagOrDigest(YamlNode item, String where) {
    String value = MapReader.text(item, where);
    if (value.contains(":")) {
      if (!DIGEST.matcher(value).matches()) {
        throw new SettingsException(item.location(), "'" + value + "' in '" + where + "' is not a digest",
            "write a tag, or a digest such as sha256:<64 hex digits>");
      }
      return value;
    }
    return tag(value, item.location(), where);
  }

  private static String tag(String value, Location at, String where) {
    if (!TAG.matcher(value).matches()) {
      throw new SettingsException(at, "'" + value + "' in '" + where + "' is not a tag",
          "tags are up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
    }
    return value;
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlScalar s && s.isNull();
  }
}
