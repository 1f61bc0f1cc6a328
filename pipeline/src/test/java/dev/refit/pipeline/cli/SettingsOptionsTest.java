package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.settings.config.LocalRegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsOptionsTest {
  @TempDir Path tmp;

  private SettingsOptions options(String refitYaml, String registry) throws Exception {
    SettingsOptions options = new SettingsOptions();
    options.deploySettings = DemoScenario.writeSettings(tmp.resolve("settings"));
    options.refitConfig = Files.writeString(tmp.resolve("settings/refit.yaml"), refitYaml);
    options.registry = registry;
    return options;
  }

  @Test
  void load_registryEmbedded_keepsAddressFromRefitYaml() throws Exception {
    SettingsOptions options = options("local_registry:\n  address: 192.0.2.10:8790\n", "embedded");

    LocalRegistryConfig local = options.load().config().localRegistry();

    assertThat(local.embedded()).isTrue();
    assertThat(local.address()).isEqualTo("192.0.2.10:8790");
  }

  @Test
  void load_registryEmbeddedOverExternal_usesDefaultAddress() throws Exception {
    SettingsOptions options = options("local_registry:\n  url: http://192.0.2.10:5000\n", "embedded");

    LocalRegistryConfig local = options.load().config().localRegistry();

    assertThat(local.embedded()).isTrue();
    assertThat(local.address()).isEqualTo(LocalRegistryConfig.DEFAULT_ADDRESS);
  }
}
