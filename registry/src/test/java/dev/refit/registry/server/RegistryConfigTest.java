package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
  private static final Path ROOT = Path.of("store");

  @Test
  void defaults_loopbackNoAuthAndManifestLimitAboveFourMebibytes() {
    RegistryConfig c = RegistryConfig.defaults(ROOT);

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8787);
    assertThat(c.htpasswd()).isNull();
    assertThat(c.tls()).isFalse();
    assertThat(c.readOnly()).isFalse();
    assertThat(c.maxManifestBytes()).isGreaterThan(4L * 1024 * 1024);
    assertThat(c.clientLimits()).isEqualTo(ClientLimits.defaults());
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void clientLimits_nonPositive_areRejected() {
    assertThatThrownBy(() -> ClientLimits.defaults().withMaxConnectionsPerClient(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectionsPerClient");
    assertThatThrownBy(() -> ClientLimits.defaults().withFailedLogins(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFailedLogins");
  }

  @Test
  void withX_changesOnlyThatComponent() {
    RegistryConfig base = RegistryConfig.defaults(ROOT);
    RegistryConfig changed = base.withPort(0).withReadOnly(true).withRequestTimeout(Duration.ofSeconds(3));

    assertThat(changed.port()).isZero();
    assertThat(changed.readOnly()).isTrue();
    assertThat(changed.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(changed.withPort(base.port()).withReadOnly(false)
        .withRequestTimeout(base.requestTimeout())).isEqualTo(base);
  }

  @Test
  void tls_needsBothCertificateAndKey() {
    assertThatThrownBy(() -> RegistryConfig.defaults(ROOT).withTls(Path.of("cert.pem"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
  }

  @Test
  void manifestLimit_belowFourMebibytes_isRejected() {
    assertThatThrownBy(() -> RegistryConfig.defaults(ROOT).withMaxManifestBytes(1024 * 1024))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 MiB");
  }
}
