package dev.refit.registry.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.json.DescriptorJson;
import dev.refit.registry.oci.json.FieldReader;
import dev.refit.registry.oci.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image index (OCI) or manifest list (Docker): descriptors of per-platform manifests.
 * Immutable; thread-safe.
 *
 * <p>OCI image-spec image-index.md and Docker "Manifest List" (manifest v2 schema 2).
 */
public record Index(
    int schemaVersion,
    String mediaType,
    String artifactType,
    List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations)
    implements ManifestContent {

  public Index {
    manifests = List.copyOf(Objects.requireNonNull(manifests, "manifests"));
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A new OCI index over {@code manifests}. */
  public static Index of(List<Descriptor> manifests) {
    return new Index(2, MediaType.OCI_INDEX, null, manifests, null, Map.of());
  }

  /**
   * Parses an index from its exact bytes.
   *
   * @throws InvalidManifestException naming the field at fault
   */
  public static Index parse(byte[] json) {
    ObjectNode root = Json.readObject(json, "index", InvalidManifestException::new);
    return from(FieldReader.of(root, "index", InvalidManifestException::new));
  }

  static Index from(FieldReader r) {
    int schemaVersion = r.requiredInt("schemaVersion");
    if (schemaVersion != 2) {
      throw new InvalidManifestException(r.path() + ".schemaVersion must be 2, got " + schemaVersion);
    }
    String mediaType = r.optionalString("mediaType");
    if (mediaType != null && MediaType.isImageManifest(mediaType)) {
      throw new InvalidManifestException(r.path() + ".mediaType is '" + mediaType
          + "': this is an image manifest, not an index");
    }
    if (mediaType != null && !MediaType.isIndex(mediaType)) {
      throw new InvalidManifestException(r.path() + ".mediaType '" + mediaType + "' is not an"
          + " index type: expected " + MediaType.OCI_INDEX + " or " + MediaType.DOCKER_MANIFEST_LIST);
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (FieldReader m : r.requiredObjects("manifests")) {
      manifests.add(DescriptorJson.read(m));
    }
    FieldReader subject = r.optionalObject("subject");
    return new Index(
        schemaVersion,
        mediaType,
        r.optionalString("artifactType"),
        manifests,
        subject == null ? null : DescriptorJson.read(subject),
        r.stringMap("annotations"));
  }

  @Override
  public List<Descriptor> references() {
    return manifests;
  }

  /** The first entry whose platform satisfies {@code wanted} (variant optional), if any. */
  public Optional<Descriptor> forPlatform(Platform wanted) {
    return manifests.stream().filter(d -> wanted.matches(d.platform())).findFirst();
  }

  public Index withManifests(List<Descriptor> m) {
    return new Index(schemaVersion, mediaType, artifactType, m, subject, annotations);
  }

  public Index withAnnotations(Map<String, String> a) {
    return new Index(schemaVersion, mediaType, artifactType, manifests, subject, a);
  }

  /** Compact JSON with a stable field order; for indexes refit creates. */
  @Override
  public byte[] toJson() {
    ObjectNode o = Json.object();
    o.put("schemaVersion", schemaVersion);
    if (mediaType != null) {
      o.put("mediaType", mediaType);
    }
    if (artifactType != null) {
      o.put("artifactType", artifactType);
    }
    ArrayNode m = o.putArray("manifests");
    manifests.forEach(d -> m.add(DescriptorJson.write(d)));
    if (subject != null) {
      o.set("subject", DescriptorJson.write(subject));
    }
    DescriptorJson.putAnnotations(o, annotations);
    return Json.write(o);
  }

  public RawManifest toRaw() {
    return RawManifest.of(toJson(), mediaType != null ? mediaType : MediaType.OCI_INDEX);
  }
}
