package dev.refit.settings.config;

import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlList;
import dev.refit.settings.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code artifacts} list of refit.yaml: files fetched into the cache directory by
 * {@code refit prepare}. Stateless and thread-safe.
 */
final class ArtifactsReader {

  static final Set<String> ARTIFACT_KEYS = Set.of("url", "sha256", "dest");
  private static final Pattern SHA256 = Pattern.compile("(sha256:)?([0-9a-fA-F]{64})");

  private ArtifactsReader() {}

  static Optional<List<ArtifactConfig>> read(MapReader root) {
    Optional<YamlList> list = root.list("artifacts");
    if (list.isEmpty()) {
      return Optional.empty();
    }
    List<ArtifactConfig> artifacts = new ArrayList<>();
    Map<Path, ArtifactConfig> byDest = new HashMap<>();
    List<YamlNode> items = list.get().items();
    for (int i = 0; i < items.size(); i++) {
      MapReader entry = MapReader.of(items.get(i), "artifacts[" + i + "]");
      entry.allowOnly(ARTIFACT_KEYS);
      ArtifactConfig artifact = new ArtifactConfig(url(entry), sha256(entry), dest(entry),
          entry.location());
      ArtifactConfig before = byDest.putIfAbsent(artifact.dest(), artifact);
      if (before != null) {
        throw entry.error("dest", "'" + entry.child("dest") + "' " + artifact.dest()
            + " is also the dest of the entry at " + before.origin(),
            "give each artifact its own dest");
      }
      artifacts.add(artifact);
    }
    return Optional.of(List.copyOf(artifacts));
  }

  private static URI url(MapReader entry) {
    String value = entry.requiredString("url");
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null && uri.getUserInfo() == null && uri.getFragment() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the same hint
    }
    throw entry.error("url", "'" + entry.child("url") + "' must be an http(s) URL, found '" + value + "'",
        "e.g. https://images.rdoproject.org/master/rdo_trunk/current-tripleo/overcloud-full.tar");
  }

  private static String sha256(MapReader entry) {
    return entry.string("sha256").map(value -> {
      var m = SHA256.matcher(value.strip());
      if (!m.matches()) {
        throw entry.error("sha256", "'" + entry.child("sha256") + "' is not a sha256: '" + value + "'",
            "write the 64 hex digits of the file's sha256 (sha256sum prints them), optionally after 'sha256:'");
      }
      return m.group(2).toLowerCase(Locale.ROOT);
    }).orElse(null);
  }

  private static Path dest(MapReader entry) {
    String value = entry.requiredString("dest");
    String hint = "give a path relative to the cache directory, e.g. images/overcloud-full.tar";
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw entry.error("dest", "'" + entry.child("dest") + "' is not a valid path: '" + value + "'", hint);
    }
    if (value.startsWith("/") || value.startsWith("~") || path.isAbsolute()) {
      throw entry.error("dest", "'" + entry.child("dest") + "' must be relative to the cache directory, found '"
          + value + "'", hint);
    }
    for (Path name : path) {
      if (name.toString().equals("..")) {
        throw entry.error("dest", "'" + entry.child("dest") + "' may not contain '..': '" + value + "'",
            hint + "; '..' could leave the cache directory");
      }
    }
    Path clean = path.normalize();
    if (clean.toString().isEmpty()) {
      throw entry.error("dest", "'" + entry.child("dest") + "' names no file: '" + value + "'", hint);
    }
    return clean;
  }
}
