package dev.refit.registry.store.fs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the store needs to know about a manifest's JSON: the blobs and child manifests it
 * references, its subject, and the fields of a referrers descriptor. Immutable; thread-safe.
 *
 * <p>Deliberately lenient and independent of the model's Manifest/Index parser: the server has
 * already validated what it accepted. {@link #parse} reads unreadable JSON as "references nothing"
 * (fine for listing referrers); the garbage collector uses {@link #tryParse} instead, because
 * for it "references nothing" would mean "delete everything this manifest needs".
 *
 * @param config the config descriptor's digest (image manifests), or null
 * @param layers layer (and other blob) digests, in manifest order
 * @param children manifests listed by an index ({@code manifests[]})
 * @param subject the {@code subject} digest (OCI image-spec manifest.md "subject"), or null
 * @param artifactType per distribution-spec "Listing Referrers": the manifest's artifactType,
 *     else its config.mediaType, else null
 */
record ManifestRefs(
    Digest config,
    List<Digest> layers,
    List<Digest> children,
    Digest subject,
    String artifactType,
    Map<String, String> annotations) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final ManifestRefs NONE = new ManifestRefs(null, List.of(), List.of(), null, null, Map.of());

  static ManifestRefs parse(byte[] json) {
    return tryParse(json).orElse(NONE);
  }

  /** The references of a JSON object; empty when the bytes are not one. */
  static Optional<ManifestRefs> tryParse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    JsonNode configNode = root.path("config");
    String artifactType = text(root.path("artifactType"));
    if (artifactType == null) {
      artifactType = text(configNode.path("mediaType"));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    root.path("annotations").fields().forEachRemaining(e -> {
      if (e.getValue().isTextual()) {
        annotations.put(e.getKey(), e.getValue().asText());
      }
    });
    return Optional.of(new ManifestRefs(
        digest(configNode.path("digest")),
        digests(root.path("layers")),
        digests(root.path("manifests")),
        digest(root.path("subject").path("digest")),
        artifactType,
        Map.copyOf(annotations)));
  }

  /** Every blob this manifest needs present: config, layers and index children. */
  List<Digest> all() {
    List<Digest> out = new ArrayList<>();
    if (config != null) {
      out.add(config);
    }
    out.addAll(layers);
    out.addAll(children);
    return out;
  }

  private static List<Digest> digests(JsonNode array) {
    List<Digest> out = new ArrayList<>();
    for (JsonNode d : array) {
      Digest digest = digest(d.path("digest"));
      if (digest != null) {
        out.add(digest);
      }
    }
    return List.copyOf(out);
  }

  private static Digest digest(JsonNode n) {
    String s = text(n);
    return s != null && Digest.isValid(s) ? Digest.parse(s) : null;
  }

  private static String text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
  }
}
