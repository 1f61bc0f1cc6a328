package dev.refit.registry.client;

import dev.refit.error.Causes;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks a docker credential helper ({@code docker-credential-<name>}, found on a search path) for
 * a registry's credentials. Blocking: it runs a process. Thread-safe.
 *
 * <p>The protocol of docker/docker-credential-helpers: {@code <helper> get}, the server URL on
 * stdin, {@code {"ServerURL","Username","Secret"}} on stdout; a helper that has nothing for the
 * URL exits non-zero saying "credentials not found".
 *
 * @param name the helper's name, {@code pass} for {@code docker-credential-pass}
 * @param searchPath directories to find it in, as {@code $PATH} lists them (null: none)
 */
record CredentialHelper(String name, String searchPath) {
  static final String PREFIX = "docker-credential-";
  private static final long TIMEOUT_SECONDS = 30;

  /** The helper's credentials for {@code serverUrl}; empty when it has none. */
  Optional<Credentials> get(String serverUrl) {
    Path program = locate().orElseThrow(() -> new RegistryClientException(
        "docker config names credential helper " + PREFIX + name + " (for " + serverUrl + "), which is not on PATH;"
            + " install it, or remove it from credsStore/credHelpers in config.json"));
    Process process;
    try {
      process = new ProcessBuilder(program.toString(), "get").redirectErrorStream(false).start();
    } catch (IOException e) {
      throw fail("cannot run " + program + ": " + Causes.describe(e), e);
    }
    try {
      // Both outputs drain on their own threads, so a helper that hangs (waiting for a keyring
      // prompt) runs into the timeout instead of blocking this thread for ever.
      CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The helper exited without reading stdin; its output and exit code say what happened.
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw fail(PREFIX + name + " get did not finish within " + TIMEOUT_SECONDS + " s", null);
      }
      String out = new String(stdout.join(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        String said = (out + " " + new String(stderr.join(), StandardCharsets.UTF_8)).trim();
        if (said.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw fail(PREFIX + name + " get exited " + process.exitValue() + " for " + serverUrl + ": " + said, null);
      }
      return Optional.of(parse(out, serverUrl));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(PREFIX + name + " get was interrupted", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private Credentials parse(String out, String serverUrl) {
    JsonObject json;
    try {
      json = new JsonObject(out);
    } catch (DecodeException e) {
      throw fail(PREFIX + name + " get answered for " + serverUrl + " with something that is not JSON", e);
    }
    String user = json.getString("Username");
    String secret = json.getString("Secret");
    if (user == null || secret == null) {
      throw fail(PREFIX + name + " get answered for " + serverUrl + " without Username and Secret", null);
    }
    if (user.equals("<token>")) {
      // An identity token is exchanged for a registry token with OAuth2 (distribution token
      // spec, "refresh_token"), which the Authenticator does not speak yet.
      throw fail(PREFIX + name + " holds an identity token for " + serverUrl + ", which refit cannot use yet;"
          + " log in with a user name and password or token", null);
    }
    return Credentials.of(user, secret);
  }

  boolean installed() {
    return locate().isPresent();
  }

  private Optional<Path> locate() {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, PREFIX + name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static RegistryClientException fail(String message, Throwable cause) {
    return cause == null ? new RegistryClientException(message) : new RegistryClientException(message, cause);
  }
}
