package dev.refit.pipeline.rebuild;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import java.util.ArrayList;
import java.util.List;

/** Puts the base layers' own media types back into a manifest jib built. Thread-safe (stateless). */
final class BaseLayerTypes {

  private BaseLayerTypes() {}

  /**
   * {@code built} with the base layers' own OCI media types. jib-core labels every layer of an OCI
   * manifest {@code tar+gzip}, which is wrong for an uncompressed ({@code ...layer.v1.tar}) or
   * zstd base layer and would make pulls fail; the blobs are the base's, so their type is too.
   * Docker media types stay as jib wrote them (their OCI equivalents).
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
}
