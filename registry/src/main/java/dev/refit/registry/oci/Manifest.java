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

/**
 * An image manifest, OCI or Docker schema 2: a config blob plus ordered layers. Immutable;
 * thread-safe.
 *
 * <p>OCI image-spec manifest.md and Docker "Image Manifest Version 2, Schema 2". The two share
 * this shape; they differ only in media types. Docker schema 1 is rejected.
 */
public record Manifest(
    int schemaVersion,
    String mediaType,
    String artifactType,
    Descriptor config,
    List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations)
    implements ManifestContent {

  public Manifest {
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A new OCI image manifest (schemaVersion 2, OCI media type, no annotations). */
  public static Manifest of(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaType.OCI_MANIFEST, null, config, layers, null, Map.of());
  }

  /**
   * Parses an image manifest from its exact bytes.
   *
   * @throws InvalidManifestException naming the field at fault
   */
  public static Manifest parse(byte[] json) {
    ObjectNode root = Json.readObject(json, "manifest", InvalidManifestException::new);
    return from(FieldReader.of(root, "manifest", InvalidManifestException::new));
  }

  static Manifest from(FieldReader r) {
    int schemaVersion = r.requiredInt("schemaVersion");
    if (schemaVersion == 1) {
      throw new InvalidManifestException("manifest.schemaVersion is 1: Docker schema 1 manifests"
          + " are deprecated and not supported; re-push the image with a current docker or skopeo");
    }
    if (schemaVersion != 2) {
      throw new InvalidManifestException(
          "manifest.schemaVersion must be 2, got " + schemaVersion);
    }
    String mediaType = r.optionalString("mediaType");
    if (mediaType != null && MediaType.isIndex(mediaType)) {
      throw new InvalidManifestException("manifest.mediaType is '" + mediaType
          + "': this is an index (manifest list), not an image manifest");
    }
    if (mediaType != null && !MediaType.isImageManifest(mediaType)) {
      throw new InvalidManifestException("manifest.mediaType '" + mediaType + "' is not an image"
          + " manifest type: expected " + MediaType.OCI_MANIFEST + " or " + MediaType.DOCKER_MANIFEST);
    }
    if (mediaType == null && r.has("manifests")) {
      throw new InvalidManifestException("manifest has a 'manifests' field and no mediaType:"
          + " this looks like an index, not an image manifest");
    }
    Descriptor config = DescriptorJson.read(r.requiredObject("config"));
    List<Descriptor> layers = new ArrayList<>();
    for (FieldReader layer : r.requiredObjects("layers")) {
      layers.add(DescriptorJson.read(layer));
    }
    FieldReader subject = r.optionalObject("subject");
    return new Manifest(
        schemaVersion,
        mediaType,
        r.optionalString("artifactType"),
        config,
        layers,
        subject == null ? null : DescriptorJson.read(subject),
        r.stringMap("annotations"));
  }

  /** The config followed by the layers, in manifest order. */
  @Override
  public List<Descriptor> references() {
    List<Descriptor> out = new ArrayList<>(layers.size() + 1);
    out.add(config);
    out.addAll(layers);
    return List.copyOf(out);
  }

  /** True for Docker schema 2, whose layers are gzip and whose config is a Docker config. */
  public boolean isDocker() {
    return MediaType.DOCKER_MANIFEST.equals(mediaType);
  }

  /**
   * The type the referrers API reports: {@code artifactType}, else the config's media type
   * (distribution-spec "Listing Referrers").
   */
  public String effectiveArtifactType() {
    return artifactType != null ? artifactType : config.mediaType();
  }

  public Manifest withConfig(Descriptor c) {
    return new Manifest(schemaVersion, mediaType, artifactType, c, layers, subject, annotations);
  }

  public Manifest withLayers(List<Descriptor> l) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, l, subject, annotations);
  }

  public Manifest withSubject(Descriptor s) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, layers, s, annotations);
  }

  public Manifest withAnnotations(Map<String, String> a) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject, a);
  }

  /**
   * Compact JSON in the field order docker and containerd use, annotations sorted. For manifests
   * refit creates; a received manifest's bytes are kept as received ({@link RawManifest}).
   */
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
    o.set("config", DescriptorJson.write(config));
    ArrayNode l = o.putArray("layers");
    layers.forEach(d -> l.add(DescriptorJson.write(d)));
    if (subject != null) {
      o.set("subject", DescriptorJson.write(subject));
    }
    DescriptorJson.putAnnotations(o, annotations);
    return Json.write(o);
  }

  /** The bytes of {@link #toJson()} wrapped with their digest, ready to store or push. */
  public RawManifest toRaw() {
    return RawManifest.of(toJson(), mediaType != null ? mediaType : MediaType.OCI_MANIFEST);
  }
}
