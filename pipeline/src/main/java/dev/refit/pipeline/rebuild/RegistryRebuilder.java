package dev.refit.pipeline.rebuild;

import dev.refit.registry.client.Await;
import dev.refit.registry.oci.RawManifest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A builder that appends to a base kept in the local registry ({@link DaemonlessRebuilder},
 * {@link JibRebuilder}): the settings, the build-key shortcut and the final put under the tag are
 * theirs in common; each one builds in its own way. Blocking; immutable, thread-safe.
 *
 * @param <T> the concrete builder, returned by the {@code with} methods
 */
public abstract sealed class RegistryRebuilder<T extends RegistryRebuilder<T>> implements Rebuilder
    permits DaemonlessRebuilder, JibRebuilder {

  final BuildSettings settings;
  private final String name;
  private final Function<BuildSettings, T> copy;

  /** @param copy makes this builder with other settings, for the {@code with} methods */
  RegistryRebuilder(String name, BuildSettings settings, Function<BuildSettings, T> copy) {
    this.name = name;
    this.settings = settings;
    this.copy = copy;
  }

  @Override
  public final String name() {
    return name;
  }

  /**
   * The complete result of {@code request}, everything it references already in the target
   * repository; {@link #rebuild} puts it under the tag. Blocking.
   */
  abstract RawManifest build(PlatformBuilds builds, RebuildRequest request, String key);

  /** This builder with another timeout for each registry call refit makes itself. */
  public T withTimeout(Duration value) {
    return copy.apply(settings.withTimeout(value));
  }

  /** This builder keeping the base's parent-directory metadata ({@link BuildSettings#withBaseFiles}). */
  public T withBaseFiles(BaseFiles files) {
    return copy.apply(settings.withBaseFiles(files));
  }

  /**
   * This builder passing one line per build step to {@code sink}, e.g. to turn them into job
   * events; {@code sink} must be thread-safe and quick.
   */
  public T withEvents(Consumer<String> sink) {
    return copy.apply(settings.withEvents(sink));
  }

  /** The build key of {@code request} with this builder ({@link PlatformBuilds#buildKey}). */
  public String buildKey(RebuildRequest request) {
    return new PlatformBuilds(settings, name()).buildKey(keyed(request));
  }

  /** {@code request} with the options this builder adds to its key; none unless overridden. */
  RebuildRequest keyed(RebuildRequest request) {
    return request;
  }

  @Override
  public final RebuildResult rebuild(RebuildRequest request) {
    PlatformBuilds builds = new PlatformBuilds(settings, name());
    String key = builds.buildKey(keyed(request));
    Optional<RebuildResult> unchanged = builds.unchanged(request, key);
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    RawManifest published = build(builds, request, key);
    String repo = request.targetRepository();
    Await.result(settings.client().putManifest(repo, request.tag(), published), settings.timeout(),
        "tagging " + repo);
    return builds.result(request, published.digest(), key, false);
  }
}
