package dev.refit.registry.it;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The CNCF distribution registry (Debian's docker-registry 2.8, packaged locally as
 * {@link ToolBox#DISTRIBUTION_IMAGE} by scripts/base-images) as a Testcontainers container,
 * serving plain HTTP without auth on a mapped loopback port. Blocking. Not thread-safe.
 */
public final class DistributionContainer extends GenericContainer<DistributionContainer> {
  private static final int PORT = 5000;

  public DistributionContainer() {
    super(DockerImageName.parse(ToolBox.DISTRIBUTION_IMAGE));
    withExposedPorts(PORT);
    waitingFor(Wait.forHttp("/v2/").forPort(PORT).forStatusCode(200)
        .withStartupTimeout(Duration.ofSeconds(60)));
  }

  /** {@code 127.0.0.1:PORT} on this host; docker and refit treat loopback as plain-HTTP-allowed. */
  public String hostPort() {
    return "127.0.0.1:" + getMappedPort(PORT);
  }
}
