package dev.refit.registry.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.json.FieldReader;
import dev.refit.registry.oci.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed content of anything served under {@code /v2/<name>/manifests/}: an image manifest or
 * an index (manifest list). Implementations are immutable records; thread-safe.
 *
 * <p>Parsed content is for reading references; the stored and served form is always the
 * {@link RawManifest} bytes the content was parsed from.
 */
public sealed interface ManifestContent permits Manifest, Index {

  /** The {@code mediaType} field, or null when the document omits it. */
  String mediaType();

  /** OCI 1.1 {@code artifactType}, or null. */
  String artifactType();

  /** OCI 1.1 {@code subject} (referrers API), or null. */
  Descriptor subject();

  Map<String, String> annotations();

  /** Every descriptor this content needs to be complete: config + layers, or child manifests. */
  List<Descriptor> references();

  /** Compact JSON with a stable field order, for content refit creates (never to re-digest). */
  byte[] toJson();

  /**
   * Parses manifest bytes, choosing the kind by the {@code mediaType} field, else by the
   * Content-Type header, else by shape ({@code manifests} means an index, {@code config} an image
   * manifest).
   *
   * <p>When both the field and the header name a manifest type they must agree: OCI image-spec
   * manifest.md says the mediaType field, when used, must match the descriptor / Content-Type.
   *
   * @param contentTypeHeaderOrNull the request's Content-Type, parameters allowed; may be null
   * @throws InvalidManifestException with a message naming the bad field
   */
  static ManifestContent parse(byte[] json, String contentTypeHeaderOrNull) {
    ObjectNode root = Json.readObject(json, "manifest", InvalidManifestException::new);
    FieldReader r = FieldReader.of(root, "manifest", InvalidManifestException::new);
    String field = r.optionalString("mediaType");
    String header = normalise(contentTypeHeaderOrNull);
    if (field != null && MediaType.isManifest(field) && header != null
        && MediaType.isManifest(header) && !field.equals(header)) {
      throw new InvalidManifestException("manifest mediaType field '" + field
          + "' does not match Content-Type '" + header + "': send the manifest with"
          + " Content-Type equal to its mediaType");
    }
    String kind = field != null ? field : header;
    if (kind != null && MediaType.isIndex(kind)) {
      return Index.from(r);
    }
    if (kind != null && MediaType.isImageManifest(kind)) {
      return Manifest.from(r);
    }
    if (field != null) {
      throw new InvalidManifestException("unsupported manifest mediaType '" + field
          + "': refit accepts " + String.join(", ", MediaType.MANIFEST_TYPES));
    }
    if (root.has("manifests")) {
      return Index.from(r);
    }
    if (root.has("config") || root.has("layers")) {
      return Manifest.from(r);
    }
    if (root.has("schemaVersion") && root.get("schemaVersion").asInt() == 1) {
      return Manifest.from(r); // reports the schema 1 message
    }
    throw new InvalidManifestException("manifest is neither an image manifest nor an index:"
        + " it has no mediaType, no 'config' and no 'manifests' field");
  }

  /** {@code Type/Sub; charset=x} to {@code type/sub}; null for absent, blank or generic JSON. */
  private static String normalise(String header) {
    if (header == null) {
      return null;
    }
    int semi = header.indexOf(';');
    String t = (semi >= 0 ? header.substring(0, semi) : header).trim().toLowerCase(Locale.ROOT);
    return t.isEmpty() ? null : t;
  }
}
