package dev.refit.pipeline.rebuild;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the registry builders ({@code daemonless}, {@code jib}) share: the build-key shortcut, one
 * image build per platform of the base, the multi-arch index and the result. Blocking; immutable,
 * thread-safe.
 *
 * @param settings the builder's settings
 * @param builder the builder name, for provenance, build key and results
 */
record PlatformBuilds(BuildSettings settings, String builder) {

  /** Builds one image on one platform's base manifest. Blocking. */
  @FunctionalInterface
  interface ImageBuild {
    /**
     * The built manifest. When {@code platform} is not null (an index entry) it must be in the
     * target repository, at least by digest, when this returns; else the caller tags it.
     */
    RawManifest build(RebuildRequest request, Digest baseDigest, Manifest base, Platform platform);
  }

  /** The result when {@code repo:tag} already carries {@code key}: nothing to build. */
  Optional<RebuildResult> unchanged(RebuildRequest request, String key) {
    return PublishedImage.lookup(settings.client(), request.targetRepository(), request.tag(), settings.timeout())
        .filter(now -> key.equals(now.buildKey()))
        .map(now -> result(request, now.digest(), key, true));
  }

  /**
   * Builds on the base of {@code request}: one {@code build} for an image manifest, or one per
   * requested platform of an index (issue 4, section 4), whose new OCI index is returned.
   * Unrequested entries are kept unpatched or dropped as {@link PlatformChoice} says, and the
   * choice is recorded in the index annotations. Nothing is tagged here.
   */
  RawManifest build(RebuildRequest request, String key, ImageBuild build) {
    RegistryClient client = settings.client();
    Duration timeout = settings.timeout();
    String baseRepo = request.base().repository();
    Digest digest = request.base().digest();
    RawManifest raw = Await.result(client.getManifest(baseRepo, digest.toString()), timeout,
        "reading the base " + request.base());
    ManifestContent base = ManifestContent.parse(raw.bytes(), raw.mediaType());
    return base instanceof Index index
        ? buildIndex(request, index, key, build)
        : build.build(request, digest, (Manifest) base, null);
  }

  private RawManifest buildIndex(RebuildRequest request, Index base, String key, ImageBuild build) {
    RegistryClient client = settings.client();
    Duration timeout = settings.timeout();
    PlatformChoice choice = PlatformChoice.from(request.options());
    String repo = request.targetRepository();
    String baseRepo = request.base().repository();
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor child : base.manifests()) {
      if (!choice.patches(child) && !choice.keepOthers()) {
        continue;
      }
      String what = "reading " + baseRepo + "@" + child.digest();
      RawManifest raw = Await.result(client.getManifest(baseRepo, child.digest().toString()), timeout, what);
      if (choice.patches(child)) {
        RawManifest built = build.build(request, child.digest(), Manifest.parse(raw.bytes()), child.platform());
        entries.add(new Descriptor(built.mediaType(), built.digest(), built.size(), child.platform(),
            null, Map.of()));
      } else {
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
    Map<String, String> annotations =
        new LinkedHashMap<>(provenance(request, request.base().digest(), key).labels());
    annotations.put(PlatformChoice.UNREQUESTED, choice.unrequestedPolicy());
    return new Index(2, MediaType.OCI_INDEX, null, entries, null, annotations).toRaw();
  }

  /** The provenance of an image built on {@code baseDigest} (one platform's, or the index). */
  Provenance provenance(RebuildRequest request, Digest baseDigest, String key) {
    return new Provenance(Provenance.baseName(request), baseDigest, request.patches(), builder,
        settings.version(), key);
  }

  /**
   * The build key of {@code request} with this builder. Whether parent directories come from the
   * base ({@link BuildSettings#withBaseFiles}) changes the delta layer, so it is part of the key as
   * the option {@code daemonless.parents} ({@code base} or {@code default}); the jib builder uses
   * the same option, and its own name keeps its keys apart.
   */
  String buildKey(RebuildRequest request) {
    Map<String, String> options = new TreeMap<>(request.options());
    options.put("daemonless.parents", settings.baseFiles() != null ? "base" : "default");
    return BuildKey.of(request.base().digest(), request.patches(), request.result(), builder, options);
  }

  RebuildResult result(RebuildRequest request, Digest digest, String key, boolean skipped) {
    String reference = request.targetRepository() + ":" + request.tag() + "@" + digest;
    return new RebuildResult(request.service(), digest, reference, builder, key, skipped);
  }
}
