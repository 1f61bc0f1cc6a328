package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  @Test
  void usesPlainHttp_loopbackAndConfiguredHostsOnly() {
    ClientOptions o = ClientOptions.defaults().withPlainHttpHosts(Set.of("build-cache:5000", "mirror.lan"));
    assertThat(o.usesPlainHttp("127.0.0.1:5000")).isTrue();
    assertThat(o.usesPlainHttp("127.8.9.10")).isTrue();
    assertThat(o.usesPlainHttp("localhost:8787")).isTrue();
    assertThat(o.usesPlainHttp("[::1]:5000")).isTrue();
    assertThat(o.usesPlainHttp("build-cache:5000")).isTrue();
    assertThat(o.usesPlainHttp("mirror.lan:443")).isTrue();
    assertThat(o.usesPlainHttp("128.0.0.1")).isFalse();
    assertThat(o.usesPlainHttp("127.0.0.1.evil.com")).isFalse();
    assertThat(o.usesPlainHttp("ghcr.io")).isFalse();
    assertThat(o.usesPlainHttp("build-cache:5001")).isFalse();
  }

  @Test
  void defaults_verifyTls() {
    assertThat(ClientOptions.defaults().insecure()).isFalse();
    assertThat(ClientOptions.defaults().maxAttempts()).isEqualTo(4);
  }

  @Test
  void constructor_rejectsZeroAttempts() {
    assertThatThrownBy(() -> ClientOptions.defaults().withMaxAttempts(0)).hasMessageContaining("maxAttempts");
  }
}
