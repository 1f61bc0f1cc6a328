package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Narrows an index to some platforms. The narrowed index cannot keep the source's digest, so it
 * says where it came from: {@value #SOURCE_INDEX} holds the original index digest and
 * {@value #DROPPED_PLATFORMS} the platforms left out (image-spec annotations.md: reverse-DNS keys).
 * Stateless.
 */
public final class PlatformSubset {
  /** The digest of the index this one was narrowed from. */
  public static final String SOURCE_INDEX = "dev.refit.mirror.source-index";
  /** The dropped entries' platforms, comma-separated, in the source's order. */
  public static final String DROPPED_PLATFORMS = "dev.refit.mirror.dropped-platforms";

  private PlatformSubset() {}

  /**
   * The index narrowed to {@code wanted}; {@code root} itself when every entry matched.
   *
   * @throws ImageCopyException when no entry matches
   */
  public static RawManifest narrow(RawManifest root, Index index, Set<Platform> wanted) {
    List<Descriptor> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (wanted.stream().anyMatch(p -> p.matches(d.platform()))) {
        kept.add(d);
      } else {
        dropped.add(String.valueOf(d.platform()));
      }
    }
    if (kept.isEmpty()) {
      throw new ImageCopyException("no image for platforms " + wanted + " in index " + root.digest()
          + "; it has " + index.manifests().stream().map(d -> String.valueOf(d.platform())).toList());
    }
    if (dropped.isEmpty()) {
      return root;
    }
    Map<String, String> annotations = new LinkedHashMap<>(index.annotations());
    annotations.put(SOURCE_INDEX, root.digest().toString());
    annotations.put(DROPPED_PLATFORMS, String.join(",", dropped));
    return index.withManifests(kept).withAnnotations(annotations).toRaw();
  }

  /** The source index digest recorded in a narrowed index, if {@code raw} is one. */
  public static Optional<String> sourceIndex(Index index) {
    return Optional.ofNullable(index.annotations().get(SOURCE_INDEX));
  }
}
