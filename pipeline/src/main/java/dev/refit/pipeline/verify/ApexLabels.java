package dev.refit.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an {@code :apex} image's config labels say it is ({@link Provenance}): its base and its
 * patches, in the order they were applied. Immutable.
 *
 * @param baseName {@code repository[:tag]} of the base, without the registry
 * @param builder the builder named by {@code dev.refit.builder}, or null
 */
record ApexLabels(String baseName, Digest baseDigest, List<Declared> patches, String builder) {
  /** One patch as {@code dev.refit.patches} names it. */
  record Declared(String id, String source, String revision, Digest sha256) {}

  ApexLabels {
    patches = List.copyOf(patches);
  }

  List<Digest> shas() {
    return patches.stream().map(Declared::sha256).toList();
  }

  /** Reads the labels of {@code image}; one that refit did not build is a clear failure. */
  static ApexLabels of(ImageConfig config, String image) {
    Map<String, String> labels = config.config() == null ? Map.of() : config.config().labels();
    String base = labels.get(Provenance.BASE_DIGEST);
    String patches = labels.get(Provenance.PATCHES);
    if (base == null || patches == null) {
      throw new RefitException(image + " has no " + (base == null ? Provenance.BASE_DIGEST
          : Provenance.PATCHES) + " label, so it says nothing to verify it against",
          "name an image that 'refit prepare' built (tag apex)", ExitCode.USAGE);
    }
    try {
      return new ApexLabels(labels.get(Provenance.BASE_NAME), Digest.parse(base),
          declared(Json.mapper().readTree(patches)), labels.get(Provenance.BUILDER));
    } catch (IOException | RuntimeException e) {
      throw new RefitException("the provenance labels of " + image + " are invalid: "
          + e.getMessage(), "rebuild it with 'refit prepare'", ExitCode.USAGE, e);
    }
  }

  private static List<Declared> declared(JsonNode list) {
    if (!list.isArray()) {
      throw new IllegalArgumentException(Provenance.PATCHES + " is not a JSON list");
    }
    List<Declared> out = new ArrayList<>();
    for (JsonNode p : list) {
      out.add(new Declared(p.path("id").asText(), p.path("source").asText(),
          p.hasNonNull("revision") ? p.get("revision").asText() : null,
          Digest.parse(p.path("sha256").asText())));
    }
    return out;
  }
}
