package dev.refit.registry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docker CLI and skopeo, configured for one test: the engine from DOCKER_HOST (bin/test
 * exports it), and client config, credentials and signature policy isolated in the test's temp
 * dir so the machine's own docker/containers configuration cannot change the outcome.
 * Blocking. Thread-safe.
 */
public final class ToolBox {
  /** Local base image built by scripts/base-images from busybox-static. */
  public static final String BUSYBOX_IMAGE = "refit-test/busybox:1";
  /** Local image of the CNCF distribution registry, built by scripts/base-images. */
  public static final String DISTRIBUTION_IMAGE = "refit-test/distribution:2.8";

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final ExternalCommand commands;
  private final String dockerHost;
  private final Path dockerConfig;
  private final Path policy;

  private ToolBox(ExternalCommand commands, String dockerHost, Path dockerConfig, Path policy) {
    this.commands = commands;
    this.dockerHost = dockerHost;
    this.dockerConfig = dockerConfig;
    this.policy = policy;
  }

  /** Sets up isolated tool configuration under {@code dir}; fails fast when no engine is configured. */
  public static ToolBox in(Path dir) {
    String dockerHost = requireDockerHost();
    try {
      Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
      Files.writeString(dockerConfig.resolve("config.json"), "{}");
      Path authFile = Files.writeString(dir.resolve("auth.json"), "{}");
      // skopeo refuses to copy without a signature policy; accept anything from test registries.
      Path policy = Files.writeString(dir.resolve("policy.json"),
          "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      ExternalCommand commands = ExternalCommand.of(Map.of(
          "DOCKER_HOST", dockerHost,
          "DOCKER_CONFIG", dockerConfig.toString(),
          "REGISTRY_AUTH_FILE", authFile.toString()), dir.resolve("output"));
      return new ToolBox(commands, dockerHost, dockerConfig, policy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare tool configuration in " + dir, e);
    }
  }

  /** The engine address; integration tests need the private engine started by bin/test. */
  public static String requireDockerHost() {
    String host = System.getenv("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      throw new IllegalStateException("DOCKER_HOST is not set: integration tests need the Docker "
          + "engine that bin/test starts (or `eval \"$(scripts/engine start)\"` before mvn verify)");
    }
    return host;
  }

  public String dockerHost() {
    return dockerHost;
  }

  /** The isolated docker client config dir (an empty config.json: no credentials, no helpers). */
  public Path dockerConfigDir() {
    return dockerConfig;
  }

  /** Runs {@code docker ARGS...} without checking the exit code. */
  public ExternalCommand.Result docker(String... args) {
    List<String> line = new ArrayList<>(List.of("docker"));
    line.addAll(List.of(args));
    return commands.run(TIMEOUT, line);
  }

  /** Runs {@code skopeo --policy P ARGS...} without checking the exit code. */
  public ExternalCommand.Result skopeo(String... args) {
    List<String> line = new ArrayList<>(List.of("skopeo", "--policy", policy.toString()));
    line.addAll(List.of(args));
    return commands.run(TIMEOUT, line);
  }

  /** Fails with a pointer to scripts/base-images when a local base image is missing. */
  public void requireImage(String image) {
    ExternalCommand.Result r = docker("image", "inspect", "--format", "{{.Id}}", image);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("local image " + image + " is missing: run scripts/base-images "
          + "(bin/test does) against DOCKER_HOST=" + dockerHost + "\n" + r.stderr());
    }
  }
}
