package dev.refit.settings.config;

import dev.refit.settings.deploy.PatchSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * refit's own configuration ({@code refit.yaml}); every value has a default, see
 * {@link #defaults()} and docs/settings.md. Immutable and thread-safe.
 *
 * @param file the file it was read from, or null for pure defaults
 * @param overrides by project name without {@code openstack/}
 * @param maxPatchBytes patches larger than this are refused before they are parsed
 * @param jobTimeout how long one image's job (fetch to publish) may take before it fails
 * @param artifacts files {@code prepare} fetches into the cache directory, in settings order
 */
public record RefitConfig(
    Path file,
    UpstreamConfig upstream,
    LocalRegistryConfig localRegistry,
    ImagesConfig images,
    TagConfig tag,
    Path cacheDir,
    int concurrency,
    Builder builder,
    PatchPolicy patchPolicy,
    int fuzz,
    List<String> dropPaths,
    Map<String, ProjectOverride> overrides,
    long maxPatchBytes,
    DockerfileStyle dockerfileStyle,
    URI gerritUrl,
    Duration jobTimeout,
    List<ArtifactConfig> artifacts) {

  public static final int DEFAULT_CONCURRENCY = 4;
  public static final List<String> DEFAULT_DROP_PATHS = List.of("releasenotes/", "tests/");
  public static final long DEFAULT_MAX_PATCH_BYTES = 64L * 1024 * 1024;
  public static final URI DEFAULT_GERRIT_URL = URI.create("https://review.opendev.org");
  public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofHours(1);

  public RefitConfig {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(localRegistry, "localRegistry");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(patchPolicy, "patchPolicy");
    dropPaths = List.copyOf(dropPaths);
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    Objects.requireNonNull(dockerfileStyle, "dockerfileStyle");
    Objects.requireNonNull(gerritUrl, "gerritUrl");
    Objects.requireNonNull(jobTimeout, "jobTimeout");
    artifacts = List.copyOf(artifacts);
  }

  /** Every default, as used when there is no refit.yaml. */
  public static RefitConfig defaults() {
    return new RefitConfig(null, UpstreamConfig.defaults(), LocalRegistryConfig.embeddedRegistry(),
        ImagesConfig.defaults(), TagConfig.defaults(), defaultCacheDir(), DEFAULT_CONCURRENCY,
        Builder.DAEMONLESS, PatchPolicy.STRICT, 0, DEFAULT_DROP_PATHS, Map.of(),
        DEFAULT_MAX_PATCH_BYTES, DockerfileStyle.COPY, DEFAULT_GERRIT_URL, DEFAULT_JOB_TIMEOUT, List.of());
  }

  /** {@code $XDG_CACHE_HOME/refit} if that variable is set, else {@code ~/.cache/refit}. */
  public static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "refit");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "refit");
  }

  /** The override for a project, given with or without {@code openstack/}. */
  public Optional<ProjectOverride> overrideFor(String project) {
    String key = project.startsWith("openstack/") ? project.substring(10) : project;
    return Optional.ofNullable(overrides.get(key));
  }

  public Optional<ProjectOverride> overrideFor(PatchSpec patch) {
    return overrideFor(patch.project());
  }

  public RefitConfig withBuilder(Builder newBuilder) {
    return new RefitConfig(file, upstream, localRegistry, images, tag, cacheDir, concurrency,
        newBuilder, patchPolicy, fuzz, dropPaths, overrides, maxPatchBytes, dockerfileStyle,
        gerritUrl, jobTimeout, artifacts);
  }

  public RefitConfig withLocalRegistry(LocalRegistryConfig newLocalRegistry) {
    return new RefitConfig(file, upstream, newLocalRegistry, images, tag, cacheDir, concurrency,
        builder, patchPolicy, fuzz, dropPaths, overrides, maxPatchBytes, dockerfileStyle,
        gerritUrl, jobTimeout, artifacts);
  }

  public RefitConfig withArtifacts(List<ArtifactConfig> newArtifacts) {
    return new RefitConfig(file, upstream, localRegistry, images, tag, cacheDir, concurrency,
        builder, patchPolicy, fuzz, dropPaths, overrides, maxPatchBytes, dockerfileStyle,
        gerritUrl, jobTimeout, newArtifacts);
  }

  public RefitConfig withUpstream(UpstreamConfig newUpstream) {
    return new RefitConfig(file, newUpstream, localRegistry, images, tag, cacheDir, concurrency,
        builder, patchPolicy, fuzz, dropPaths, overrides, maxPatchBytes, dockerfileStyle,
        gerritUrl, jobTimeout, artifacts);
  }
}
