package dev.refit.pipeline.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.InvalidImageConfigException;
import dev.refit.registry.oci.json.Json;
import java.util.List;
import java.util.Map;

/**
 * The image config of a base with layers appended (OCI image-spec config.md): the base config's
 * JSON tree, unknown fields and key order kept, with the new diff_ids appended to
 * {@code rootfs.diff_ids}, one history entry per new layer, refit's labels put into
 * {@code config.Labels} and {@code created} set to the epoch. Equal inputs give equal bytes, so
 * the config digest is reproducible on any machine. Thread-safe (stateless).
 */
final class AppendedConfig {

  /** {@code created} of the image and of each new history entry: the epoch, as jib writes it. */
  static final String CREATED = "1970-01-01T00:00:00Z";

  private AppendedConfig() {}

  /**
   * {@code base} (config bytes) with {@code diffIds} appended, each with a history entry whose
   * {@code created_by} is {@code createdBy}, and {@code labels} added (in their order, replacing
   * a base label of the same name in place).
   *
   * @throws InvalidImageConfigException when {@code base} or the result is not a valid config
   */
  static byte[] of(byte[] base, List<Digest> diffIds, String createdBy, Map<String, String> labels) {
    ObjectNode tree = Json.readObject(base, "base image config", InvalidImageConfigException::new);
    // Fails early, naming the field, when the base config is malformed.
    boolean baseHasLayers = !ImageConfig.parse(base).diffIds().isEmpty();
    tree.put("created", CREATED); // in place when present: key order is kept
    ObjectNode run = object(tree, "config");
    ObjectNode labelNode = object(run, "Labels");
    labels.forEach(labelNode::put);
    var ids = object(tree, "rootfs").withArray("diff_ids");
    diffIds.forEach(id -> ids.add(id.toString()));
    if (!diffIds.isEmpty()) {
      // A config without history gets none: a partial history would not match rootfs.
      boolean hasHistory = tree.has("history") && tree.get("history").isArray();
      if (hasHistory || !baseHasLayers) {
        var history = tree.withArray("history");
        for (int i = 0; i < diffIds.size(); i++) {
          history.addObject().put("created", CREATED).put("created_by", createdBy);
        }
      }
    }
    byte[] out = Json.write(tree);
    ImageConfig.parse(out);
    return out;
  }

  /** {@code parent.name} as an object, created (or replacing a JSON null) when absent. */
  private static ObjectNode object(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node instanceof ObjectNode o) {
      return o;
    }
    if (node != null && !node.isNull()) {
      throw new InvalidImageConfigException("base image config: '" + name + "' is not an object");
    }
    return parent.putObject(name);
  }
}
