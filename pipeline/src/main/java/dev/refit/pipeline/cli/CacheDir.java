package dev.refit.pipeline.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves refit's cache directory: an explicit option, else {@code REFIT_CACHE_DIR}, else
 * {@code ~/.cache/refit}. The embedded registry's store lives under it by default.
 */
public final class CacheDir {
  private CacheDir() {}

  public static Path resolve(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return explicit.toAbsolutePath().normalize();
    }
    String fromEnv = env.get("REFIT_CACHE_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "refit");
  }

  /** The embedded registry's default root under the cache directory. */
  public static Path registryRoot(Path explicitRoot, Map<String, String> env) {
    if (explicitRoot != null) {
      return explicitRoot.toAbsolutePath().normalize();
    }
    return resolve(null, env).resolve("registry");
  }
}
