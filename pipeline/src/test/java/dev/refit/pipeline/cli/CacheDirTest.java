package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirTest {
  @Test
  void resolve_prefersOption_thenEnv_thenHome() {
    assertThat(CacheDir.resolve(Path.of("/a/b"), Map.of("REFIT_CACHE_DIR", "/env")))
        .isEqualTo(Path.of("/a/b"));
    assertThat(CacheDir.resolve(null, Map.of("REFIT_CACHE_DIR", "/env"))).isEqualTo(Path.of("/env"));
    assertThat(CacheDir.resolve(null, Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "refit"));
    assertThat(CacheDir.registryRoot(null, Map.of("REFIT_CACHE_DIR", "/env")))
        .isEqualTo(Path.of("/env/registry"));
  }
}
