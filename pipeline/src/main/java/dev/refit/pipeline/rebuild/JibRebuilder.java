package dev.refit.pipeline.rebuild;

import com.google.cloud.tools.jib.api.JibContainer;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code jib} builder ({@code --builder jib}): jib-core puts one delta layer
 * ({@link DeltaLayer}) on the base image, which stays in the local registry, and pushes the result
 * there. This was the daemonless builder until refit wrote its layers itself
 * ({@link JibRebuilder}); it stays as a second implementation of the same result (same
 * layer digest for a result without special modes, same file modes with them) on one of refit's
 * fixed libraries. Blocking: jib and the registry calls run on the calling thread, so run
 * {@link #rebuild} on a named worker pool ({@code vertx.executeBlocking(callable, false)}), never
 * on an event loop. Thread-safe: each call builds its own jib objects; the layer caches under the
 * work dir are jib's own, concurrency-safe caches.
 *
 * <p>Caches under the work dir: {@code jib-cache/base} (jib's base manifests and configs; base
 * layers never land there, see below) and {@code jib-cache/app/<build tag>}, one application
 * cache per build key. jib selects a cached layer by source path and file times, not content; a
 * work file rewritten in place within the file system's time resolution could otherwise reuse a
 * stale delta. Keyed by build key (which covers every content digest) reuse is safe by
 * construction. The caller may delete {@code jib-cache/app} between runs.
 *
 * <p>Steps for one image:
 * <ol>
 *   <li>The build key ({@link BuildKey}) is compared with the {@code dev.refit.build-key} label of
 *       what {@code repo:tag} holds now; equal means done, nothing is pushed.
 *   <li>jib builds on {@code base@digest}: the base config (entrypoint, cmd, env, user, workdir,
 *       labels, ports, volumes) is inherited because nothing overrides it; refit's provenance
 *       labels are added. Creation time is the epoch and the layer is reproducible. Base layers
 *       are never downloaded: refit first cross-mounts them into the target repository
 *       ({@link BaseLayerMounter}), so jib's HEAD check finds them. jib pushes blobs first and
 *       the manifest last, under the unique build tag {@code <tag>-<key12>}.
 *   <li>jib-core's file permissions hold only the 0777 bits. When a changed file (or a parent
 *       directory taken from the base) has a setuid, setgid or sticky bit, refit re-tars jib's
 *       delta layer with the full modes and pushes it and the config with the new diff_id
 *       ({@link FullModeLayer}), still before any tag moves.
 *   <li>jib-core 0.27 cannot set manifest annotations, so refit reads jib's manifest back, adds
 *       the provenance annotations and puts those exact bytes under the build tag and then under
 *       {@code tag}; a re-run after a crash finds the annotated manifest under the build tag.
 * </ol>
 */
public final class JibRebuilder implements Rebuilder {

  /** The builder name, recorded in provenance and the build key. */
  public static final String NAME = "jib";

  private final RegistryClient client;
  private final Path workDir;
  private final String version;
  private final boolean allowInsecure;
  private final Duration timeout;
  private final BaseFiles baseFiles;
  private final Consumer<String> events;

  private JibRebuilder(
      RegistryClient client,
      Path workDir,
      String version,
      boolean allowInsecure,
      Duration timeout,
      BaseFiles baseFiles,
      Consumer<String> events) {
    this.baseFiles = baseFiles;
    this.events = events;
    this.client = client;
    this.workDir = workDir;
    this.version = version;
    this.allowInsecure = allowInsecure;
    this.timeout = timeout;
  }

  /**
   * A rebuilder publishing through {@code client}'s registry (the local one), with jib's caches
   * under {@code workDir}. Plain HTTP is allowed when the client talks plain HTTP (loopback or a
   * configured plain-HTTP host).
   *
   * @param version refit's version, for the provenance label and jib's history entry
   */
  public static JibRebuilder of(RegistryClient client, Path workDir, String version) {
    boolean plain = client.baseUrl().startsWith("http://");
    return new JibRebuilder(client, workDir, version, plain, Duration.ofMinutes(5), null, m -> { });
  }

  /** This rebuilder with another timeout for each registry call refit makes itself. */
  public JibRebuilder withTimeout(Duration value) {
    return new JibRebuilder(client, workDir, version, allowInsecure, value, baseFiles, events);
  }

  /**
   * This rebuilder reading parent-directory metadata from the base through {@code files}, so
   * directories such as {@code /var/lib/nova} keep their owner and mode ({@link BaseFiles}).
   * Without it, parent directories in the delta layer are root:root 0755.
   */
  public JibRebuilder withBaseFiles(BaseFiles files) {
    return new JibRebuilder(client, workDir, version, allowInsecure, timeout, files, events);
  }

  /**
   * This rebuilder passing jib's log messages (base image resolved, layers pushed or found,
   * manifest pushed) to {@code sink}, e.g. to turn them into job events. {@code sink} is called
   * on jib's threads and must be thread-safe and quick.
   */
  public JibRebuilder withEvents(Consumer<String> sink) {
    return new JibRebuilder(client, workDir, version, allowInsecure, timeout, baseFiles, sink);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RebuildResult rebuild(RebuildRequest request) {
    PlatformBuilds builds = new PlatformBuilds(client, timeout, NAME, version);
    String key = buildKey(request);
    Optional<RebuildResult> unchanged = builds.unchanged(request, key);
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    String repo = request.targetRepository();
    String buildTag = buildTag(request.tag(), key);
    RawManifest published = finishedBuild(repo, buildTag, key).orElse(null);
    if (published == null) {
      published = builds.build(request, key, (r, baseDigest, base, platform) -> buildImage(builds, r,
          baseDigest, base, platform, key, platform == null ? buildTag
              : buildTag + "-" + platform.toString().replace('/', '-')));
      if (MediaType.isIndex(published.mediaType())) {
        Await.result(client.putManifest(repo, buildTag, published), timeout, "pushing the index to " + repo);
      }
    }
    // Also after a run stopped after the build but before tagging: only the tag was missing.
    Await.result(client.putManifest(repo, request.tag(), published), timeout, "tagging " + repo);
    return builds.result(request, published.digest(), key, false);
  }

  /**
   * The complete result under {@code buildTag}, when an earlier run got that far: it carries the
   * build key in its manifest annotations, which refit adds only after jib's push succeeded (jib's
   * own manifest under that tag has the label but no annotations, and does not count).
   */
  private Optional<RawManifest> finishedBuild(String repo, String buildTag, String key) {
    String what = "reading " + repo + ":" + buildTag;
    if (Await.result(client.headManifest(repo, buildTag), timeout, what).isEmpty()) {
      return Optional.empty();
    }
    RawManifest raw = Await.result(client.getManifest(repo, buildTag), timeout, what);
    ManifestContent content = ManifestContent.parse(raw.bytes(), raw.mediaType());
    return key.equals(content.annotations().get(Provenance.BUILD_KEY)) ? Optional.of(raw) : Optional.empty();
  }

  /** Builds on one image manifest and puts the annotated result under {@code jibTag}; returns it. */
  private RawManifest buildImage(PlatformBuilds builds, RebuildRequest request, Digest baseDigest,
      Manifest base, Platform platform, String key, String jibTag) {
    String repo = request.targetRepository();
    BaseLayerMounter.mount(client, request.base().repository(), base, repo, false, timeout);
    Provenance provenance = builds.provenance(request, baseDigest, key);
    JibBuild jib = new JibBuild(client.registry(), allowInsecure, workDir, version, events);
    // Parent-directory metadata comes from this platform's own manifest.
    FileSource baseView = baseFiles == null ? null
        : baseFiles.open(request.withBase(request.base().withDigest(baseDigest)),
            DeltaLayer.ancestors(request.result()));
    JibContainer built = jib.run(request, baseDigest, platform, provenance, jibTag, baseView);
    Digest jibDigest = Digest.parse(built.getDigest().toString());
    String what = "annotating " + repo + "@" + jibDigest;
    RawManifest jibManifest =
        Await.result(client.getManifest(repo, jibDigest.toString()), timeout, what);
    Manifest jibBuilt = Manifest.parse(jibManifest.bytes());
    Map<String, Integer> modes = DeltaLayer.specialModes(request.result(), baseView);
    if (!modes.isEmpty()) {
      // jib dropped setuid/setgid/sticky bits; fix its delta layer before anything is tagged.
      jibBuilt = FullModeLayer.apply(client, repo, jibBuilt, modes, workDir.resolve("modes"), timeout);
    }
    RawManifest annotated =
        BaseLayerTypes.restore(jibBuilt, base)
            .withAnnotations(provenance.labels())
            .toRaw();
    Await.result(client.putManifest(repo, jibTag, annotated), timeout, what);
    return annotated;
  }

  /** The build key of {@code request} with this builder ({@link PlatformBuilds#buildKey}). */
  public String buildKey(RebuildRequest request) {
    return new PlatformBuilds(client, timeout, NAME, version).buildKey(request, baseFiles != null);
  }

  /** {@code <tag>-<first 12 hex of the build key>}: unique per content, stable per input. */
  public static String buildTag(String tag, String key) {
    return tag + "-" + key.substring(key.indexOf(':') + 1, key.indexOf(':') + 13);
  }
}
