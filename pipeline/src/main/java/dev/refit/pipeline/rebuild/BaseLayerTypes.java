package dev.refit.pipeline.rebuild;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * The media types base layers keep in the OCI manifest of a rebuilt image. Thread-safe
 * (stateless).
 *
 * <p>The blobs are the base's, so their type is too: an uncompressed ({@code ...layer.v1.tar}) or
 * zstd base layer labelled {@code tar+gzip} would make pulls fail. A Docker layer type becomes
 * its OCI equivalent, because the new manifest is an OCI one.
 */
final class BaseLayerTypes {

  /** OCI image-spec layer.md: the deprecated, but still understood, non-distributable type. */
  static final String OCI_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  private BaseLayerTypes() {}

  /** {@code baseLayers} with OCI media types, digests and sizes unchanged. */
  static List<Descriptor> asOci(List<Descriptor> baseLayers) {
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor d : baseLayers) {
      layers.add(new Descriptor(ociType(d.mediaType()), d.digest(), d.size(), d.platform(),
          d.artifactType(), d.annotations()));
    }
    return layers;
  }

  /**
   * {@code built} (a manifest jib built, base layers first) with the base layers' own OCI media
   * types: jib-core labels every layer of an OCI manifest {@code tar+gzip}. Docker types stay as
   * jib wrote them.
   */
  static Manifest restore(Manifest built, Manifest base) {
    List<Descriptor> layers = new ArrayList<>(built.layers());
    for (int i = 0; i < base.layers().size() && i < layers.size(); i++) {
      Descriptor from = base.layers().get(i);
      Descriptor to = layers.get(i);
      if (!from.digest().equals(to.digest())) {
        throw new RebuildException("jib's manifest does not start with the base layers: layer " + i
            + " is " + to.digest() + ", the base has " + from.digest());
      }
      if (from.mediaType() != null && from.mediaType().startsWith("application/vnd.oci.image.layer.")) {
        layers.set(i, new Descriptor(from.mediaType(), to.digest(), to.size(), to.platform(),
            to.artifactType(), to.annotations()));
      }
    }
    return built.withLayers(layers);
  }

  private static String ociType(String mediaType) {
    if (mediaType == null || MediaType.DOCKER_LAYER_GZIP.equals(mediaType)) {
      return MediaType.OCI_LAYER_GZIP;
    }
    if (MediaType.DOCKER_FOREIGN_LAYER_GZIP.equals(mediaType)) {
      return OCI_NONDISTRIBUTABLE_GZIP;
    }
    return mediaType;
  }
}
