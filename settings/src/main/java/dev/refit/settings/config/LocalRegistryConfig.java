package dev.refit.settings.config;

import dev.refit.error.Causes;
import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The registry refit publishes patched images to: its own embedded store (the default), served
 * at a fixed address that image lists name, or an external registry URL with optional basic
 * credentials and TLS options. Immutable and thread-safe; {@link #toString()} never shows the
 * password.
 *
 * @param url null when embedded
 * @param password inline password, or null
 * @param passwordFile file holding the password (first line), or null; exclusive with password
 * @param insecure skip TLS certificate verification
 * @param caFile PEM bundle of extra trusted CAs, or null
 * @param address the embedded registry's {@code host:port}, where it listens and what image
 *     lists name; {@link #DEFAULT_ADDRESS} when embedded and not given, null when external
 */
public record LocalRegistryConfig(boolean embedded, URI url, String username, String password,
    Path passwordFile, boolean insecure, Path caFile, String address) {

  /** Apex's undercloud registry port, and {@code refit registry serve}'s default. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:8787";

  public LocalRegistryConfig {
    if (embedded == (url != null)) {
      throw new IllegalArgumentException("url is required exactly when not embedded");
    }
    if (embedded && address == null) {
      address = DEFAULT_ADDRESS;
    }
    if (!embedded && address != null) {
      throw new IllegalArgumentException("address applies only to the embedded registry");
    }
    String problem = address == null ? null : addressProblem(address);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException("password and passwordFile are exclusive");
    }
  }

  /** The form without an address, for external registries (and the default embedded address). */
  public LocalRegistryConfig(boolean embedded, URI url, String username, String password,
      Path passwordFile, boolean insecure, Path caFile) {
    this(embedded, url, username, password, passwordFile, insecure, caFile, null);
  }

  public static LocalRegistryConfig embeddedRegistry() {
    return embeddedAt(DEFAULT_ADDRESS);
  }

  /** The embedded registry at {@code address} ({@code host:port}). */
  public static LocalRegistryConfig embeddedAt(String address) {
    return new LocalRegistryConfig(true, null, null, null, null, false, null, address);
  }

  public static LocalRegistryConfig external(URI url) {
    return new LocalRegistryConfig(false, url, null, null, null, false, null, null);
  }

  /**
   * Why {@code address} cannot be the embedded registry's address, or null when it can: it must
   * be {@code HOST:PORT} (IPv6 in brackets) with a port 1..65535, and not a wildcard host,
   * because image lists name it and clients must be able to reach it.
   */
  public static String addressProblem(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon <= 0 ? "" : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    if (host.isEmpty() || !port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      return "'" + address + "' is not HOST:PORT with a port 1-65535, e.g. " + DEFAULT_ADDRESS;
    }
    if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
      return "'" + address + "': write an IPv6 host in brackets, e.g. [::1]:8787";
    }
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      return "'" + address + "' is a wildcard: image lists name this address, so give one"
          + " clients reach, e.g. the undercloud's IP";
    }
    return null;
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
          "cannot read password file: " + Causes.describe(e), "check that it exists and is readable");
    }
  }

  @Override
  public String toString() {
    return embedded ? "LocalRegistryConfig[embedded, address=" + address + "]"
        : "LocalRegistryConfig[url=" + url + ", username=" + username
            + ", password=" + (password != null ? "***" : passwordFile != null ? "<file>" : "none")
            + ", insecure=" + insecure + ", caFile=" + caFile + "]";
  }
}
