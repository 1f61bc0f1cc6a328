package dev.refit.pipeline.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How one {@code refit prepare} run behaves beyond refit.yaml. What reaches upstream (and
 * whether anything may) is not here: it is the {@link dev.refit.pipeline.fetch.UpstreamAccess}
 * the pipeline is given. Immutable; thread-safe.
 *
 * @param cacheDir the cache directory (fetch index, patches, embedded registry, report)
 * @param builder {@code daemonless} (the default), {@code jib} or {@code docker}
 * @param envFiles image-list files to rewrite after all images are done
 * @param version refit's version, for provenance
 * @param keepGoing when an image failed, still rewrite the image lists for the images that
 *     succeeded (a failed image's entries stay as they were); by default no list is written
 */
public record PrepareOptions(Path cacheDir, String builder, List<Path> envFiles, String version,
    boolean keepGoing) {

  public PrepareOptions {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(builder, "builder");
    envFiles = envFiles == null ? List.of() : List.copyOf(envFiles);
    version = version == null ? "dev" : version;
  }

  public static PrepareOptions of(Path cacheDir) {
    return new PrepareOptions(cacheDir, "daemonless", List.of(), null, false);
  }

  public PrepareOptions withBuilder(String value) {
    return new PrepareOptions(cacheDir, value, envFiles, version, keepGoing);
  }

  public PrepareOptions withEnvFiles(List<Path> value) {
    return new PrepareOptions(cacheDir, builder, value, version, keepGoing);
  }

  public PrepareOptions withVersion(String value) {
    return new PrepareOptions(cacheDir, builder, envFiles, value, keepGoing);
  }

  public PrepareOptions withKeepGoing(boolean value) {
    return new PrepareOptions(cacheDir, builder, envFiles, version, value);
  }
}
