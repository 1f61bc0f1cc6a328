package dev.refit.pipeline.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.ImageConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compares the config fields that change how a container runs (OCI image-spec config.md
 * "Properties"), and the platform. An unset field and an empty one are the same, as runtimes
 * treat them. Stateless.
 */
final class ConfigDiffs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The fields compared, in report order. */
  static final List<String> FIELDS = List.of("User", "Env", "Entrypoint", "Cmd", "WorkingDir",
      "Labels", "ExposedPorts", "Volumes", "platform");

  private ConfigDiffs() {}

  static List<ConfigDiff> compare(ImageConfig a, ImageConfig b) {
    List<ConfigDiff> out = new ArrayList<>();
    for (String field : FIELDS) {
      JsonNode va = value(field, a);
      JsonNode vb = value(field, b);
      if (!Objects.equals(va, vb)) {
        out.add(new ConfigDiff(field, va, vb));
      }
    }
    return out;
  }

  /** The field's value as JSON, or null when unset or empty. */
  static JsonNode value(String field, ImageConfig config) {
    if (field.equals("platform")) {
      return NODES.textNode(config.platform().toString());
    }
    ImageConfig.RunConfig run = config.config();
    if (run == null) {
      return null;
    }
    Function<ImageConfig.RunConfig, Object> get = switch (field) {
      case "User" -> ImageConfig.RunConfig::user;
      case "Env" -> ImageConfig.RunConfig::env;
      case "Entrypoint" -> ImageConfig.RunConfig::entrypoint;
      case "Cmd" -> ImageConfig.RunConfig::cmd;
      case "WorkingDir" -> ImageConfig.RunConfig::workingDir;
      case "Labels" -> ImageConfig.RunConfig::labels;
      case "ExposedPorts" -> r -> r.exposedPorts().stream().sorted().toList();
      case "Volumes" -> r -> r.volumes().stream().sorted().toList();
      default -> throw new IllegalArgumentException("no config field " + field);
    };
    return json(get.apply(run));
  }

  private static JsonNode json(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s.isEmpty() ? null : NODES.textNode(s);
    }
    if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        return null;
      }
      ArrayNode array = NODES.arrayNode();
      c.forEach(x -> array.add(String.valueOf(x)));
      return array;
    }
    Map<?, ?> m = (Map<?, ?>) v;
    if (m.isEmpty()) {
      return null;
    }
    ObjectNode object = NODES.objectNode();
    new TreeMap<>(m).forEach((k, x) -> object.put(String.valueOf(k), String.valueOf(x)));
    return object;
  }
}
