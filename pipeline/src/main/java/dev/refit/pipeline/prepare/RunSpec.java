package dev.refit.pipeline.prepare;

import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import dev.refit.settings.config.LocalRegistryConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cluster worker needs to run a coordinator's jobs as the coordinator would: the settings
 * files (every node reads them at the same path), the registry every node pushes to, the
 * builder and whether the run is offline. Immutable; thread-safe.
 *
 * @param deploySettings the deploy settings file, absolute
 * @param commonPatches the common patches file, absolute, or null
 * @param config refit.yaml, absolute, or null for the built-in defaults
 * @param registry the shared registry's URL, e.g. {@code http://10.0.0.5:5000}
 * @param builder {@code daemonless}, {@code jib} or {@code docker}
 * @param noFetch the run is strictly offline: workers make no upstream connection either
 */
public record RunSpec(Path deploySettings, Path commonPatches, Path config, URI registry,
    String builder, boolean noFetch) {

  public RunSpec {
    Objects.requireNonNull(deploySettings, "deploySettings");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(builder, "builder");
  }

  /** The settings as the coordinator loaded them, with the shared registry. Blocking. */
  LoadedSettings load() {
    LoadedSettings s = SettingsLoader.load(deploySettings, Optional.ofNullable(commonPatches),
        Optional.ofNullable(config));
    LocalRegistryConfig configured = s.config().localRegistry();
    return configured.embedded() || !registry.equals(configured.url())
        ? new LoadedSettings(s.deploy(), s.common(), s.patches(),
            s.config().withLocalRegistry(LocalRegistryConfig.external(registry)))
        : s;
  }

  JsonObject toJson() {
    return new JsonObject().put("deploySettings", deploySettings.toString())
        .put("commonPatches", commonPatches == null ? null : commonPatches.toString())
        .put("config", config == null ? null : config.toString())
        .put("registry", registry.toString()).put("builder", builder).put("noFetch", noFetch);
  }

  static RunSpec fromJson(JsonObject j) {
    return new RunSpec(Path.of(j.getString("deploySettings")),
        j.getString("commonPatches") == null ? null : Path.of(j.getString("commonPatches")),
        j.getString("config") == null ? null : Path.of(j.getString("config")),
        URI.create(j.getString("registry")), j.getString("builder"), j.getBoolean("noFetch"));
  }
}
