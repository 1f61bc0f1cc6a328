package dev.refit.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.InvalidDigestException;
import dev.refit.registry.oci.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the registry must check in a pushed manifest: its media type, the blobs it references
 * (config and layers), the child manifests of an index, and its optional subject. Immutable.
 *
 * <p>Reads the JSON tree only for these fields and never re-serialises: the stored bytes are
 * exactly those received (distribution-spec "Pushing Manifests").
 */
record ManifestSummary(String mediaType, List<Digest> blobs, List<Digest> children, Digest subject) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  boolean isIndex() {
    return MediaType.isIndex(mediaType);
  }

  /**
   * Parses {@code bytes}, deciding the type from the {@code mediaType} field, else the request's
   * Content-Type, else the document's shape ({@code manifests} means an index).
   *
   * @throws RegistryException MANIFEST_INVALID with a message naming the broken field
   */
  static ManifestSummary parse(byte[] bytes, String contentType) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw invalid("manifest could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("manifest must be a JSON object");
    }
    JsonNode version = root.get("schemaVersion");
    if (version == null || !version.isInt() || version.intValue() != 2) {
      throw invalid("manifest schemaVersion must be 2 (schema 1 manifests are not supported)");
    }
    String fieldType = text(root, "mediaType");
    if (fieldType != null && contentType != null && MediaType.isManifest(contentType)
        && !fieldType.equals(contentType)) {
      throw invalid("manifest mediaType '" + fieldType + "' differs from Content-Type '"
          + contentType + "'; the spec requires them to be equal");
    }
    String type = fieldType != null ? fieldType
        : contentType != null && MediaType.isManifest(contentType) ? contentType
        : root.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    if (!MediaType.isManifest(type)) {
      throw invalid("unsupported manifest media type '" + type + "'");
    }
    Digest subject = root.has("subject") ? descriptorDigest(root.get("subject"), "subject") : null;
    List<Digest> blobs = new ArrayList<>();
    List<Digest> children = new ArrayList<>();
    if (MediaType.isIndex(type)) {
      JsonNode manifests = root.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw invalid("index must have a 'manifests' array");
      }
      for (int i = 0; i < manifests.size(); i++) {
        children.add(descriptorDigest(manifests.get(i), "manifests[" + i + "]"));
      }
    } else {
      blobs.add(descriptorDigest(root.get("config"), "config"));
      JsonNode layers = root.get("layers");
      if (layers == null || !layers.isArray()) {
        throw invalid("image manifest must have a 'layers' array");
      }
      for (int i = 0; i < layers.size(); i++) {
        if (isForeign(layers.get(i))) {
          continue; // non-distributable layers live elsewhere (image-spec layer "urls")
        }
        blobs.add(descriptorDigest(layers.get(i), "layers[" + i + "]"));
      }
    }
    return new ManifestSummary(type, List.copyOf(blobs), List.copyOf(children), subject);
  }

  private static boolean isForeign(JsonNode layer) {
    return layer != null && layer.has("urls") && layer.get("urls").isArray()
        && !layer.get("urls").isEmpty();
  }

  private static Digest descriptorDigest(JsonNode descriptor, String where) {
    if (descriptor == null || !descriptor.isObject()) {
      throw invalid("manifest field '" + where + "' must be a descriptor object");
    }
    String digest = text(descriptor, "digest");
    if (digest == null) {
      throw invalid("descriptor '" + where + "' has no digest");
    }
    JsonNode size = descriptor.get("size");
    if (size == null || !size.canConvertToLong() || size.longValue() < 0) {
      throw invalid("descriptor '" + where + "' needs a non-negative integer size");
    }
    try {
      return Digest.parse(digest);
    } catch (InvalidDigestException e) {
      throw invalid("descriptor '" + where + "': " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static RegistryException invalid(String message) {
    return RegistryException.of(ErrorCode.MANIFEST_INVALID, message);
  }
}
