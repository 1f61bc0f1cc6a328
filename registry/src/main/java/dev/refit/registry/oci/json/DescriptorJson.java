package dev.refit.registry.oci.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Platform;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates descriptors and platforms between JSON and the model. Stateless; thread-safe.
 *
 * <p>OCI image-spec descriptor.md: mediaType, digest and size are required; urls, data and
 * unknown fields are tolerated but not kept (refit never re-serialises received content, so
 * nothing is lost from stored manifests). image-index.md "platform": architecture and os are
 * required; "os.version" and "os.features" are optional.
 */
public final class DescriptorJson {
  private DescriptorJson() {}

  public static Descriptor read(FieldReader r) {
    String mediaType = r.requiredString("mediaType");
    var digest = r.requiredDigest("digest");
    long size = r.requiredSize("size");
    FieldReader p = r.optionalObject("platform");
    Platform platform = p == null ? null : readPlatform(p);
    String artifactType = r.optionalString("artifactType");
    if (r.has("urls")) {
      r.optionalStringList("urls"); // validated for shape only, see class comment
    }
    return new Descriptor(mediaType, digest, size, platform, artifactType, r.stringMap("annotations"));
  }

  public static Platform readPlatform(FieldReader r) {
    String architecture = r.requiredString("architecture");
    String os = r.requiredString("os");
    return new Platform(
        os,
        architecture,
        r.optionalString("variant"),
        r.optionalString("os.version"),
        r.optionalStringList("os.features"));
  }

  /** Fields in the order docker and containerd write them; annotations sorted by key. */
  public static ObjectNode write(Descriptor d) {
    ObjectNode o = Json.object();
    if (d.mediaType() != null) {
      o.put("mediaType", d.mediaType());
    }
    o.put("digest", d.digest().toString());
    o.put("size", d.size());
    if (d.artifactType() != null) {
      o.put("artifactType", d.artifactType());
    }
    putAnnotations(o, d.annotations());
    if (d.platform() != null) {
      o.set("platform", writePlatform(d.platform()));
    }
    return o;
  }

  public static ObjectNode writePlatform(Platform p) {
    ObjectNode o = Json.object();
    o.put("architecture", p.architecture());
    o.put("os", p.os());
    if (p.osVersion() != null) {
      o.put("os.version", p.osVersion());
    }
    if (!p.osFeatures().isEmpty()) {
      ArrayNode features = o.putArray("os.features");
      p.osFeatures().forEach(features::add);
    }
    if (p.variant() != null) {
      o.put("variant", p.variant());
    }
    return o;
  }

  /**
   * Adds {@code annotations} sorted by key, so the same content always gives the same bytes
   * (the model's maps do not promise an iteration order).
   */
  public static void putAnnotations(ObjectNode o, Map<String, String> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return;
    }
    ObjectNode a = o.putObject("annotations");
    new TreeMap<>(annotations).forEach(a::put);
  }
}
