package dev.refit.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.SettingsException;
import dev.refit.settings.config.LocalRegistryConfig;
import dev.refit.settings.config.RefitConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void open_configuredPortFree_listensThereAndNamesIt(@TempDir Path root) throws Exception {
    String address = FreeAddress.loopback();
    LocalRegistry local = await(LocalRegistry.open(vertx, LocalRegistryConfig.embeddedAt(address), root));
    try {
      assertThat(local.address()).isEqualTo(address);
      assertThat(local.servedAddress()).isEqualTo(address);
      assertThat(local.notice()).isEmpty();
      await(local.client().ping());
    } finally {
      await(local.close());
    }
  }

  @Test
  void open_configuredPortTaken_servesOnFreePortButStillNamesTheConfiguredAddress(@TempDir Path root)
      throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + busy.getLocalPort();
      LocalRegistry local = await(LocalRegistry.open(vertx, LocalRegistryConfig.embeddedAt(address), root));
      try {
        assertThat(local.address()).isEqualTo(address);
        assertThat(local.servedAddress()).startsWith("127.0.0.1:").isNotEqualTo(address);
        await(local.client().ping());
        assertThat(local.notice()).hasValueSatisfying(n -> assertThat(n)
            .contains(address + " is in use").contains(local.servedAddress())
            .contains("refit registry serve --root " + root + " --listen " + address)
            .doesNotContain("\n"));
      } finally {
        await(local.close());
      }
    }
  }

  @Test
  void open_storeHeldByAnotherRegistry_failsInsteadOfFallingBack(@TempDir Path root) throws Exception {
    LocalRegistry first = await(LocalRegistry.open(vertx,
        LocalRegistryConfig.embeddedAt(FreeAddress.loopback()), root));
    try {
      assertThatThrownBy(() -> await(LocalRegistry.open(vertx,
          LocalRegistryConfig.embeddedAt(FreeAddress.loopback()), root)))
          .hasMessageContaining("in use");
    } finally {
      await(first.close());
    }
  }

  @Test
  void config_absentOrEmbedded_defaultsTo8787(@TempDir Path dir) throws Exception {
    assertThat(load(dir, "concurrency: 2\n").address()).isEqualTo("127.0.0.1:8787");
    assertThat(load(dir, "local_registry: embedded\n").address()).isEqualTo("127.0.0.1:8787");
    assertThat(load(dir, "local_registry: http://127.0.0.1:5000\n").address()).isNull();
  }

  @Test
  void config_address_isTheEmbeddedRegistrysAddress(@TempDir Path dir) throws Exception {
    LocalRegistryConfig config = load(dir, "local_registry:\n  address: 192.0.2.1:8787\n");
    assertThat(config.embedded()).isTrue();
    assertThat(config.address()).isEqualTo("192.0.2.1:8787");
    assertThat(load(dir, "local_registry:\n  address: '[::1]:5050'\n").address()).isEqualTo("[::1]:5050");
  }

  @Test
  void config_badAddress_failsAtItsLineWithHint(@TempDir Path dir) {
    assertThatThrownBy(() -> load(dir, "local_registry:\n  address: 0.0.0.0:8787\n"))
        .isInstanceOf(SettingsException.class).hasMessageContaining("refit.yaml:2:12")
        .hasMessageContaining("wildcard");
    assertThatThrownBy(() -> load(dir, "local_registry:\n  address: 127.0.0.1\n"))
        .isInstanceOf(SettingsException.class).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> load(dir, "local_registry:\n  address: 127.0.0.1:0\n"))
        .isInstanceOf(SettingsException.class).hasMessageContaining("port 1-65535");
    assertThatThrownBy(() -> load(dir,
        "local_registry:\n  address: 127.0.0.1:8787\n  url: http://127.0.0.1:5000\n"))
        .isInstanceOf(SettingsException.class).hasMessageContaining("cannot be combined with 'address'");
  }

  private static LocalRegistryConfig load(Path dir, String yaml) throws IOException {
    return RefitConfigLoader.load(Files.writeString(dir.resolve("refit.yaml"), yaml)).localRegistry();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
