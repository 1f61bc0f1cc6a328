package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS against the embedded registry serving a self-signed certificate for "localhost". */
@ExtendWith(VertxExtension.class)
class RegistryClientTlsTest {
  @TempDir Path tmp;
  private SelfSignedCertificate cert;
  private InProcessRegistry registry;
  private ClientOptions tls;

  @BeforeEach
  void start(Vertx vertx) {
    cert = SelfSignedCertificate.create("localhost");
    registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry"))
        .withHost("localhost")
        .withTls(Path.of(cert.certificatePath()), Path.of(cert.privateKeyPath())));
    tls = ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")).withLoopbackPlainHttp(false);
  }

  @AfterEach
  void deleteCert() {
    cert.delete();
  }

  @Test
  void ping_selfSignedWithDefaults_rejectedWithoutRetry(Vertx vertx, VertxTestContext ctx) {
    RegistryClient client = RegistryClient.create(vertx, "localhost:" + registry.port(), tls);
    assertThat(client.baseUrl()).startsWith("https://");
    client.ping().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).hasMessageContaining("https://localhost:").hasMessageContaining("after 1 attempt")
          .hasMessageContaining("caPem");
      ctx.completeNow();
    })));
  }

  @Test
  void ping_caPemTrustsTheCertificate(Vertx vertx, VertxTestContext ctx) {
    RegistryClient.create(vertx, "localhost:" + registry.port(), tls.withCaPem(Path.of(cert.certificatePath())))
        .ping()
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void ping_insecureTrustsAnything(Vertx vertx, VertxTestContext ctx) {
    RegistryClient.create(vertx, "localhost:" + registry.port(), tls.withInsecure(true))
        .ping()
        .onComplete(ctx.succeedingThenComplete());
  }
}
