package dev.refit.settings.config;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The registry refit publishes patched images to: its own embedded store (the default), or an
 * external registry URL with optional basic credentials and TLS options. Immutable and
 * thread-safe; {@link #toString()} never shows the password.
 *
 * @param url null when embedded
 * @param password inline password, or null
 * @param passwordFile file holding the password (first line), or null; exclusive with password
 * @param insecure skip TLS certificate verification
 * @param caFile PEM bundle of extra trusted CAs, or null
 */
public record LocalRegistryConfig(boolean embedded, URI url, String username, String password,
    Path passwordFile, boolean insecure, Path caFile) {

  public LocalRegistryConfig {
    if (embedded == (url != null)) {
      throw new IllegalArgumentException("url is required exactly when not embedded");
    }
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException("password and passwordFile are exclusive");
    }
  }

  public static LocalRegistryConfig embeddedRegistry() {
    return new LocalRegistryConfig(true, null, null, null, null, false, null);
  }

  public static LocalRegistryConfig external(URI url) {
    return new LocalRegistryConfig(false, url, null, null, null, false, null);
  }

  /** The password, reading {@link #passwordFile} if that is how it was given. Blocking. */
  public Optional<String> resolvePassword() {
    if (password != null) {
      return Optional.of(password);
    }
    if (passwordFile == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(passwordFile, StandardCharsets.UTF_8).lines()
          .findFirst().orElse(""));
    } catch (IOException e) {
      throw new SettingsException(Location.of(passwordFile),
          "cannot read password file: " + e.getMessage(), "check that it exists and is readable");
    }
  }

  @Override
  public String toString() {
    return embedded ? "LocalRegistryConfig[embedded]"
        : "LocalRegistryConfig[url=" + url + ", username=" + username
            + ", password=" + (password != null ? "***" : passwordFile != null ? "<file>" : "none")
            + ", insecure=" + insecure + ", caFile=" + caFile + "]";
  }
}
