package dev.refit.pipeline.rebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Connects docker-java to a Docker engine with the settings refit relies on. Stateless and
 * thread-safe; the returned client is thread-safe and must be closed by the caller.
 *
 * <p>The API version is pinned to 1.41 (Engine 20.10): refit must work against that engine, and
 * docker-java's default would negotiate nothing and use its own newest version, which a 20.10
 * engine refuses ("client version is too new").
 */
public final class DockerEngine {

  /** The highest Engine API version refit speaks. */
  public static final String API_VERSION = "1.41";

  private DockerEngine() {}

  /**
   * A client for {@code dockerHost} (e.g. {@code unix:///run/docker.sock} or
   * {@code tcp://127.0.0.1:2375}), reading registry credentials from {@code dockerConfigDir}
   * ({@code ~/.docker} when null).
   */
  public static DockerClient connect(String dockerHost, String dockerConfigDir) {
    Objects.requireNonNull(dockerHost, "dockerHost");
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withApiVersion(API_VERSION);
    if (dockerConfigDir != null) {
      builder.withDockerConfig(dockerConfigDir);
    }
    DefaultDockerClientConfig config = builder.build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(30))
        // Builds and pushes stream for minutes; only a silent connection for this long is dead.
        .responseTimeout(Duration.ofMinutes(30))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** A client for the engine named by the {@code DOCKER_HOST} environment variable. */
  public static DockerClient fromEnvironment() {
    String host = System.getenv("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      host = "unix:///var/run/docker.sock";
    }
    return connect(host, null);
  }
}
