package dev.refit.pipeline.rebuild;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.ImageRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one rebuild needs: the base image pinned by digest in the local registry, where the result
 * goes, and what changes. Immutable and thread-safe.
 *
 * @param service service name, for results and events (e.g. {@code nova-api})
 * @param base local registry reference of the upstream image, pinned by digest
 * @param targetRepository repository in the local registry that receives the result
 * @param tag tag the result is published under, normally {@code apex}
 * @param patches the patches applied, for provenance and the build key
 * @param result the files that change and the paths that are deleted
 * @param options builder options that go into the build key (sorted by key)
 */
public record RebuildRequest(
    String service,
    ImageRef base,
    String targetRepository,
    String tag,
    List<AppliedPatch> patches,
    PatchResult result,
    Map<String, String> options) {

  public RebuildRequest {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(targetRepository, "targetRepository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(result, "result");
    if (base.digest() == null) {
      throw new IllegalArgumentException(
          "rebuild of " + service + ": base " + base + " is not pinned by digest; resolve it first");
    }
    patches = patches == null ? List.of() : List.copyOf(patches);
    options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
  }

  /** This request with other builder options. */
  public RebuildRequest withOptions(Map<String, String> newOptions) {
    return new RebuildRequest(service, base, targetRepository, tag, patches, result, newOptions);
  }

  /** This request on another base (e.g. one platform's manifest of a multi-arch base). */
  public RebuildRequest withBase(ImageRef newBase) {
    return new RebuildRequest(service, newBase, targetRepository, tag, patches, result, options);
  }

  /** This request published under another tag. */
  public RebuildRequest withTag(String newTag) {
    return new RebuildRequest(service, base, targetRepository, newTag, patches, result, options);
  }
}
