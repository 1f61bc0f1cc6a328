package dev.refit.pipeline.prepare;

import dev.refit.registry.client.ClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How one {@code refit prepare} run behaves beyond refit.yaml. Immutable; thread-safe.
 *
 * @param cacheDir the cache directory (fetch index, patches, embedded registry, report)
 * @param noFetch strict offline: no upstream connection at all
 * @param builder {@code daemonless} or {@code docker}
 * @param envFiles image-list files to rewrite after all images are done
 * @param upstreamOptions client options for upstream registries
 * @param version refit's version, for provenance
 */
public record PrepareOptions(Path cacheDir, boolean noFetch, String builder, List<Path> envFiles,
    ClientOptions upstreamOptions, String version) {

  public PrepareOptions {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(builder, "builder");
    envFiles = envFiles == null ? List.of() : List.copyOf(envFiles);
    upstreamOptions = upstreamOptions == null ? ClientOptions.defaults() : upstreamOptions;
    version = version == null ? "dev" : version;
  }

  public static PrepareOptions of(Path cacheDir) {
    return new PrepareOptions(cacheDir, false, "daemonless", List.of(), null, null);
  }

  public PrepareOptions withNoFetch(boolean value) {
    return new PrepareOptions(cacheDir, value, builder, envFiles, upstreamOptions, version);
  }

  public PrepareOptions withBuilder(String value) {
    return new PrepareOptions(cacheDir, noFetch, value, envFiles, upstreamOptions, version);
  }

  public PrepareOptions withEnvFiles(List<Path> value) {
    return new PrepareOptions(cacheDir, noFetch, builder, value, upstreamOptions, version);
  }

  public PrepareOptions withUpstreamOptions(ClientOptions value) {
    return new PrepareOptions(cacheDir, noFetch, builder, envFiles, value, version);
  }

  public PrepareOptions withVersion(String value) {
    return new PrepareOptions(cacheDir, noFetch, builder, envFiles, upstreamOptions, value);
  }
}
