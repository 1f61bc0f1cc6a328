package dev.refit.settings.config;

import dev.refit.error.Causes;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code local_registry} key of refit.yaml: {@code embedded}, a URL, a mapping with
 * URL, credentials and TLS options, or a mapping with the embedded registry's {@code address}. Blocking (checks referenced files exist); thread-safe.
 */
final class LocalRegistryReader {

  static final String EMBEDDED = "embedded";
  static final Set<String> KEYS =
      Set.of("url", "username", "password", "password_file", "insecure", "ca_file", "address");

  private LocalRegistryReader() {}

  static LocalRegistryConfig read(MapReader root, Path baseDir) {
    Optional<YamlNode> node = root.node("local_registry");
    if (node.isEmpty()) {
      return LocalRegistryConfig.embeddedRegistry();
    }
    if (!(node.get() instanceof YamlMap)) {
      String text = MapReader.text(node.get(), "local_registry");
      return text.equals(EMBEDDED)
          ? LocalRegistryConfig.embeddedRegistry()
          : LocalRegistryConfig.external(url(root, "local_registry", text));
    }
    MapReader reg = root.mapping("local_registry").orElseThrow();
    reg.allowOnly(KEYS);
    if (reg.has("address")) {
      return embedded(reg);
    }
    URI url = url(reg, "url", reg.string("url").orElseThrow(
        () -> reg.missing("url", "the registry URL, e.g. https://registry.example.com:5000")));
    String username = reg.string("username").orElse(null);
    String password = reg.string("password").orElse(null);
    if (password != null && reg.has("password_file")) {
      throw reg.error("password_file", "'password' and 'password_file' cannot both be set",
          "keep 'password_file' so the secret stays out of refit.yaml");
    }
    Path passwordFile = file(reg, "password_file", baseDir);
    if (username == null && (password != null || passwordFile != null)) {
      throw reg.missing("username", "the user name that goes with the password");
    }
    if (username != null && password == null && passwordFile == null) {
      throw reg.error("username", "'local_registry.username' is set but no password is",
          "add 'password_file:' (or 'password:')");
    }
    return new LocalRegistryConfig(false, url, username, password, passwordFile,
        reg.bool("insecure", false), file(reg, "ca_file", baseDir));
  }

  /** {@code address:} alone: the embedded registry at that address. */
  private static LocalRegistryConfig embedded(MapReader reg) {
    for (String other : KEYS) {
      if (!other.equals("address") && reg.has(other)) {
        throw reg.error(other, "'" + reg.child(other) + "' cannot be combined with 'address'",
            "'address' is the embedded registry's; for an external registry keep 'url' only");
      }
    }
    String address = reg.requiredString("address");
    String problem = LocalRegistryConfig.addressProblem(address);
    if (problem != null) {
      throw reg.error("address", "'" + reg.child("address") + "': " + problem,
          "write HOST:PORT, e.g. " + LocalRegistryConfig.DEFAULT_ADDRESS);
    }
    return LocalRegistryConfig.embeddedAt(address);
  }

  private static URI url(MapReader reader, String key, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw reader.error(key, "'" + reader.child(key) + "' is not a valid URL: " + Causes.describe(e),
          "write 'embedded' or a URL such as https://registry.example.com:5000");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null) {
      throw reader.error(key,
          "'" + reader.child(key) + "' must be 'embedded' or an http(s) URL, found '" + text + "'",
          "write 'embedded' or a URL such as https://registry.example.com:5000");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw reader.error(key, "'" + reader.child(key) + "' must not carry credentials, a query "
          + "or a fragment", "put credentials in username and password_file");
    }
    return uri;
  }

  static Path file(MapReader reader, String key, Path baseDir) {
    Optional<String> value = reader.string(key);
    if (value.isEmpty()) {
      return null;
    }
    Path path = baseDir.resolve(value.get()).normalize();
    if (!Files.isRegularFile(path)) {
      throw new SettingsException(reader.locationOf(key),
          "'" + reader.child(key) + "': file not found: " + path,
          "relative paths are resolved against the directory of refit.yaml");
    }
    return path;
  }
}
