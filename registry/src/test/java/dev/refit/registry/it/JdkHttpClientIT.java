package dev.refit.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's own HTTP client (java.net.http, used by Java tools that talk to registries) reads
 * blobs from refit's embedded registry. It prefers HTTP/2 and, over plain HTTP, sends an h2c
 * upgrade request, so this covers the registry's HTTP/2 path that docker and skopeo never take.
 */
class JdkHttpClientIT {
  @TempDir Path tmp;
  private InProcessRegistry registry;

  @BeforeEach
  void setUp() {
    registry = InProcessRegistry.start(tmp.resolve("root"));
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void blobGet_http11_servesExactBytes() {
    byte[] content = new byte[300 * 1024];
    new Random(21).nextBytes(content);
    Digest digest = RegistryProbe.of(registry.hostPort()).pushBlob("refit/jdk", content);

    assertThat(RegistryProbe.of(registry.hostPort()).blobDigest("refit/jdk", digest)).isEqualTo(digest);
  }

  @Test
  void blobGet_h2cUpgradeRequested_servesExactBytes() {
    byte[] content = new byte[300 * 1024];
    new Random(22).nextBytes(content);
    Digest digest = RegistryProbe.of(registry.hostPort()).pushBlob("refit/jdk", content);

    assertThat(RegistryProbe.preferringHttp2(registry.hostPort()).blobDigest("refit/jdk", digest))
        .isEqualTo(digest);
  }
}
