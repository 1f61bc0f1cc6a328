package dev.refit.registry.server;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.InvalidDigestException;
import dev.refit.registry.oci.InvalidManifestException;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the registry must check in a pushed manifest: the media type to serve it with, the blobs
 * it references (config and layers), the child manifests of an index, and its optional subject.
 * Immutable.
 *
 * <p>Parsing is the model's {@link ManifestContent}; this only picks out what the push checks
 * need. The stored bytes are never re-serialised (distribution-spec "Pushing Manifests").
 */
record ManifestSummary(String mediaType, List<Digest> blobs, List<Digest> children, Digest subject) {

  /**
   * Parses {@code bytes}; the media type is the {@code mediaType} field, else the request's
   * Content-Type when it names a manifest type, else the kind the document's shape implies.
   *
   * @throws RegistryException MANIFEST_INVALID with the parser's message naming the broken field
   */
  static ManifestSummary parse(byte[] bytes, String contentType) {
    ManifestContent content;
    try {
      content = ManifestContent.parse(bytes, contentType);
    } catch (InvalidManifestException | InvalidDigestException e) {
      throw RegistryException.of(ErrorCode.MANIFEST_INVALID, e.getMessage());
    }
    List<Digest> blobs = new ArrayList<>();
    List<Digest> children = new ArrayList<>();
    String kind;
    if (content instanceof Index index) {
      index.manifests().forEach(d -> children.add(d.digest()));
      kind = MediaType.OCI_INDEX;
    } else {
      Manifest manifest = (Manifest) content;
      for (Descriptor d : manifest.references()) {
        if (!isForeign(d)) {
          blobs.add(d.digest());
        }
      }
      kind = MediaType.OCI_MANIFEST;
    }
    String type = content.mediaType() != null ? content.mediaType()
        : contentType != null && MediaType.isManifest(contentType) ? contentType
        : kind;
    Digest subject = content.subject() == null ? null : content.subject().digest();
    return new ManifestSummary(type, List.copyOf(blobs), List.copyOf(children), subject);
  }

  /** Non-distributable layers live outside registries (image-spec layer.md), so are not checked. */
  private static boolean isForeign(Descriptor d) {
    String type = d.mediaType();
    return type != null && (type.equals(MediaType.DOCKER_FOREIGN_LAYER_GZIP)
        || type.startsWith("application/vnd.oci.image.layer.nondistributable."));
  }
}
