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
public final class JibRebuilder extends RegistryRebuilder<JibRebuilder> {

  /** The builder name, recorded in provenance and the build key. */
  public static final String NAME = "jib";

  private JibRebuilder(BuildSettings settings) {
    super(NAME, settings, JibRebuilder::new);
  }

  /**
   * A rebuilder publishing through {@code client}'s registry (the local one), with jib's caches
   * under {@code workDir}. Plain HTTP is allowed when the client talks plain HTTP (loopback or a
   * configured plain-HTTP host). Its events are jib's log messages (base image resolved, layers
   * pushed or found, manifest pushed), on jib's threads.
   *
   * @param version refit's version, for the provenance label and jib's history entry
   */
  public static JibRebuilder of(RegistryClient client, Path workDir, String version) {
    return new JibRebuilder(BuildSettings.of(client, workDir, version));
  }

  /**
   * The annotated manifest under the build tag {@code <tag>-<key12>}: found there when an earlier
   * run got that far (it stopped before tagging), else built now.
   */
  @Override
  RawManifest build(PlatformBuilds builds, RebuildRequest request, String key) {
    String repo = request.targetRepository();
    String buildTag = buildTag(request.tag(), key);
    Optional<RawManifest> finished = finishedBuild(repo, buildTag, key);
    if (finished.isPresent()) {
      return finished.get();
    }
    RawManifest built = builds.build(request, key, (r, baseDigest, base, platform) -> buildImage(builds,
        r, baseDigest, base, platform, key,
        platform == null ? buildTag : buildTag + "-" + platform.toString().replace('/', '-')));
    if (MediaType.isIndex(built.mediaType())) {
      Await.result(settings.client().putManifest(repo, buildTag, built), settings.timeout(),
          "pushing the index to " + repo);
    }
    return built;
  }

  /**
   * The complete result under {@code buildTag}, when an earlier run got that far: it carries the
   * build key in its manifest annotations, which refit adds only after jib's push succeeded (jib's
   * own manifest under that tag has the label but no annotations, and does not count).
   */
  private Optional<RawManifest> finishedBuild(String repo, String buildTag, String key) {
    RegistryClient client = settings.client();
    Duration timeout = settings.timeout();
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
    RegistryClient client = settings.client();
    Duration timeout = settings.timeout();
    String repo = request.targetRepository();
    BaseLayerMounter.mount(client, request.base().repository(), base, repo, false, timeout);
    Provenance provenance = builds.provenance(request, baseDigest, key);
    boolean plainHttp = client.baseUrl().startsWith("http://");
    JibBuild jib = new JibBuild(client.registry(), plainHttp, settings.workDir(), settings.version(),
        settings.events());
    FileSource baseView = settings.baseView(request, baseDigest);
    JibContainer built = jib.run(request, baseDigest, platform, provenance, jibTag, baseView);
    Digest jibDigest = Digest.parse(built.getDigest().toString());
    String what = "annotating " + repo + "@" + jibDigest;
    RawManifest jibManifest =
        Await.result(client.getManifest(repo, jibDigest.toString()), timeout, what);
    Manifest jibBuilt = Manifest.parse(jibManifest.bytes());
    Map<String, Integer> modes = DeltaLayer.specialModes(request.result(), baseView);
    if (!modes.isEmpty()) {
      // jib dropped setuid/setgid/sticky bits; fix its delta layer before anything is tagged.
      jibBuilt = FullModeLayer.apply(client, repo, jibBuilt, modes, settings.workDir().resolve("modes"),
          timeout);
    }
    RawManifest annotated =
        BaseLayerTypes.restore(jibBuilt, base)
            .withAnnotations(provenance.labels())
            .toRaw();
    Await.result(client.putManifest(repo, jibTag, annotated), timeout, what);
    return annotated;
  }

  /** {@code <tag>-<first 12 hex of the build key>}: unique per content, stable per input. */
  public static String buildTag(String tag, String key) {
    return tag + "-" + key.substring(key.indexOf(':') + 1, key.indexOf(':') + 13);
  }
}
