package dev.refit.pipeline.rebuild;

import com.google.cloud.tools.jib.api.JibContainer;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The {@code daemonless} builder: jib-core puts one delta layer ({@link DeltaLayer}) on the base
 * image, which stays in the local registry, and pushes the result there. Blocking: jib and the
 * registry calls run on the calling thread, so run {@link #rebuild} on a named worker pool
 * ({@code vertx.executeBlocking(callable, false)}), never on an event loop. Thread-safe: each
 * call builds its own jib objects; the layer caches under the work dir are jib's own,
 * concurrency-safe caches.
 *
 * <p>Caches under the work dir: {@code jib-cache/base} (jib's base manifests and configs; base
 * layers never land there, see below) and {@code jib-cache/app/<build tag>}, one application
 * cache per build key. jib selects a cached layer by source path and file times, not content; a
 * work file rewritten in place within the file system's time resolution could otherwise reuse a
 * stale delta. Keyed by build key (which covers every content digest) reuse is safe by
 * construction. The caller may delete {@code jib-cache/app} between runs.
 *
 * <p>The base is read from this rebuilder's registry (the local one, {@code client}): only the
 * repository and digest of {@link RebuildRequest#base()} are used, so {@code localhost:8787} and
 * {@code 127.0.0.1:8787} spellings of the same registry both work.
 *
 * <p>Steps for one image:
 * <ol>
 *   <li>The build key ({@link BuildKey}) is compared with the {@code dev.refit.build-key} label of
 *       what {@code repo:tag} holds now; equal means done, nothing is pushed.
 *   <li>jib builds on {@code base@digest}: the base config (entrypoint, cmd, env, user, workdir,
 *       labels, ports, volumes) is inherited because nothing overrides it; refit's provenance
 *       labels are added. Creation time is {@link Instant#EPOCH} and the layer is reproducible, so
 *       equal inputs give an equal digest on any machine. Base layers are never downloaded: refit
 *       first cross-mounts them from the base repository into the target repository
 *       ({@link BaseLayerMounter}), so jib's HEAD check finds them and jib neither pulls nor
 *       pushes them. jib pushes blobs first and the manifest last, under the unique build tag
 *       {@code <tag>-<key12>}.
 *   <li>jib-core's file permissions hold only the 0777 bits. When a changed file (or a parent
 *       directory taken from the base) has a setuid, setgid or sticky bit, refit re-tars jib's
 *       delta layer with the full modes and pushes it and the config with the new diff_id
 *       ({@link FullModeLayer}), still before any tag moves. The build key does not change: it
 *       already covers every mode.
 *   <li>jib-core 0.27 cannot set manifest annotations, so refit reads jib's manifest back, adds
 *       the provenance annotations (OCI image-spec manifest.md "annotations") and puts those
 *       exact bytes under the build tag and then under {@code tag}. The requested tag therefore
 *       only ever points at the complete, annotated image; jib's unannotated manifest is left
 *       untagged for the garbage collector.
 * </ol>
 */
public final class DaemonlessRebuilder implements Rebuilder {

  /** The builder name, recorded in provenance and the build key. */
  public static final String NAME = "daemonless";

  private final RegistryClient client;
  private final Path workDir;
  private final String version;
  private final boolean allowInsecure;
  private final Duration timeout;
  private final BaseFiles baseFiles;
  private final Consumer<String> events;

  private DaemonlessRebuilder(
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
  public static DaemonlessRebuilder of(RegistryClient client, Path workDir, String version) {
    boolean plain = client.baseUrl().startsWith("http://");
    return new DaemonlessRebuilder(client, workDir, version, plain, Duration.ofMinutes(5), null, m -> { });
  }

  /** This rebuilder with another timeout for each registry call refit makes itself. */
  public DaemonlessRebuilder withTimeout(Duration value) {
    return new DaemonlessRebuilder(client, workDir, version, allowInsecure, value, baseFiles, events);
  }

  /**
   * This rebuilder reading parent-directory metadata from the base through {@code files}, so
   * directories such as {@code /var/lib/nova} keep their owner and mode ({@link BaseFiles}).
   * Without it, parent directories in the delta layer are root:root 0755.
   */
  public DaemonlessRebuilder withBaseFiles(BaseFiles files) {
    return new DaemonlessRebuilder(client, workDir, version, allowInsecure, timeout, files, events);
  }

  /**
   * This rebuilder passing jib's log messages (base image resolved, layers pushed or found,
   * manifest pushed) to {@code sink}, e.g. to turn them into job events. {@code sink} is called
   * on jib's threads and must be thread-safe and quick.
   */
  public DaemonlessRebuilder withEvents(Consumer<String> sink) {
    return new DaemonlessRebuilder(client, workDir, version, allowInsecure, timeout, baseFiles, sink);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RebuildResult rebuild(RebuildRequest request) {
    String key = buildKey(request);
    String repo = request.targetRepository();
    Optional<PublishedImage> now = PublishedImage.lookup(client, repo, request.tag(), timeout);
    if (now.isPresent() && key.equals(now.get().buildKey())) {
      return result(request, now.get().digest(), key, true);
    }
    String buildTag = buildTag(request.tag(), key);
    Optional<RawManifest> finished = finishedBuild(repo, buildTag, key);
    if (finished.isPresent()) {
      // A run stopped after the build but before tagging (e.g. killed): only the tag is missing.
      RawManifest done = finished.get();
      Await.result(client.putManifest(repo, request.tag(), done), timeout, "tagging " + repo);
      return result(request, done.digest(), key, false);
    }
    String baseRepo = request.base().repository();
    String what = "reading the base " + request.base();
    RawManifest baseRaw =
        Await.result(client.getManifest(baseRepo, request.base().digest().toString()), timeout, what);
    ManifestContent base = ManifestContent.parse(baseRaw.bytes(), baseRaw.mediaType());
    RawManifest published =
        base instanceof Index index
            ? buildIndex(request, index, key, buildTag)
            : buildImage(request, request.base().digest(), (Manifest) base, null, key, buildTag);
    Await.result(client.putManifest(repo, request.tag(), published), timeout, "tagging " + repo);
    return result(request, published.digest(), key, false);
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

  /**
   * Builds on one image manifest and puts the annotated result under {@code jibTag}; returns it.
   */
  private RawManifest buildImage(RebuildRequest request, Digest baseDigest, Manifest base,
      Platform platform, String key, String jibTag) {
    String repo = request.targetRepository();
    BaseLayerMounter.mount(client, request.base().repository(), base, repo, false, timeout);
    Provenance provenance =
        new Provenance(Provenance.baseName(request), baseDigest, request.patches(), NAME, version, key);
    JibBuild jib = new JibBuild(client.registry(), allowInsecure, workDir, version, events);
    // Parent-directory metadata comes from this platform's own manifest.
    FileSource baseView = base(request.withBase(request.base().withDigest(baseDigest)));
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

  /**
   * Multi-arch (issue 4, section 4): patches each requested platform of {@code base} and puts a
   * new OCI index under {@code buildTag}; unrequested entries are kept unpatched or dropped as
   * {@link PlatformChoice} says, and the choice is recorded in the index annotations.
   */
  private RawManifest buildIndex(RebuildRequest request, Index base, String key, String buildTag) {
    PlatformChoice choice = PlatformChoice.from(request.options());
    String repo = request.targetRepository();
    String baseRepo = request.base().repository();
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor child : base.manifests()) {
      String what = "reading " + baseRepo + "@" + child.digest();
      if (choice.patches(child)) {
        RawManifest raw =
            Await.result(client.getManifest(baseRepo, child.digest().toString()), timeout, what);
        String platformTag = buildTag + "-" + child.platform().toString().replace('/', '-');
        RawManifest built = buildImage(request, child.digest(), Manifest.parse(raw.bytes()),
            child.platform(), key, platformTag);
        entries.add(new Descriptor(built.mediaType(), built.digest(), built.size(), child.platform(),
            null, java.util.Map.of()));
      } else if (choice.keepOthers()) {
        RawManifest raw =
            Await.result(client.getManifest(baseRepo, child.digest().toString()), timeout, what);
        if (ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Manifest m) {
          BaseLayerMounter.mount(client, baseRepo, m, repo, true, timeout);
        }
        Await.result(client.putManifest(repo, child.digest().toString(), raw), timeout, what);
        entries.add(child);
      }
    }
    if (entries.stream().noneMatch(choice::patches)) {
      throw new RebuildException("rebuild of " + request.service() + ": the base index "
          + request.base() + " has none of the requested platforms " + choice.requested());
    }
    java.util.Map<String, String> annotations = new java.util.LinkedHashMap<>(
        new Provenance(Provenance.baseName(request), request.base().digest(), request.patches(),
            NAME, version, key).labels());
    annotations.put(PlatformChoice.UNREQUESTED, choice.unrequestedPolicy());
    RawManifest index = new Index(2, MediaType.OCI_INDEX, null, entries, null, annotations).toRaw();
    Await.result(client.putManifest(repo, buildTag, index), timeout, "pushing the index to " + repo);
    return index;
  }

  /**
   * The build key of {@code request} with this builder. Whether parent directories come from the
   * base ({@link #withBaseFiles}) changes the delta layer, so it is part of the key as the option
   * {@code daemonless.parents} ({@code base} or {@code default}).
   */
  public String buildKey(RebuildRequest request) {
    Map<String, String> options = new TreeMap<>(request.options());
    options.put("daemonless.parents", baseFiles == null ? "default" : "base");
    return BuildKey.of(request.base().digest(), request.patches(), request.result(), NAME, options);
  }

  /** {@code <tag>-<first 12 hex of the build key>}: unique per content, stable per input. */
  public static String buildTag(String tag, String key) {
    return tag + "-" + key.substring(key.indexOf(':') + 1, key.indexOf(':') + 13);
  }

  private FileSource base(RebuildRequest request) {
    return baseFiles == null ? null : baseFiles.open(request, DeltaLayer.ancestors(request.result()));
  }

  private RebuildResult result(RebuildRequest request, Digest digest, String key, boolean skipped) {
    String reference = request.targetRepository() + ":" + request.tag() + "@" + digest;
    return new RebuildResult(request.service(), digest, reference, NAME, key, skipped);
  }
}
