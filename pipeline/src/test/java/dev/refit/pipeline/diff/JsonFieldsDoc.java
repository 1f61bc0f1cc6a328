package dev.refit.pipeline.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test kit: a JSON document against the field list a doc keeps in a fenced block of
 * {@code path: type} lines (docs/diff-json.md), both ways. Stateless.
 */
public final class JsonFieldsDoc {
  private JsonFieldsDoc() {}

  /** The {@code path: type} lines of the doc's first {@code ```<block>} block. */
  public static Map<String, Set<String>> documentedFields(String doc, String block) {
    String open = "```" + block + "\n";
    int start = doc.indexOf(open);
    int end = doc.indexOf("```", start + open.length());
    assertThat(start).as("a " + open.strip() + " block").isNotNegative();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String line : doc.substring(start + open.length(), end).split("\n")) {
      if (!line.isBlank()) {
        String[] kv = line.split(":", 2);
        out.put(kv[0].strip(), Set.of(kv[1].strip().split("\\|")));
      }
    }
    return out;
  }

  /** Adds to {@code problems} each field of {@code node} not documented, of another type, or documented but missing; {@code seen} collects the paths met. */
  public static void check(JsonNode node, String path, Map<String, Set<String>> documented,
      List<String> problems, Set<String> seen) {
    if (!path.isEmpty()) {
      seen.add(path);
      Set<String> types = documented.get(path);
      if (types == null) {
        problems.add(path + " is not documented");
        return;
      }
      if (!types.contains("any") && !types.contains(type(node))) {
        problems.add(path + " is " + type(node) + ", documented as " + types);
      }
    }
    if (node.isObject()) {
      String prefix = path.isEmpty() ? "" : path + ".";
      for (String key : documented.keySet()) {
        String child = key.startsWith(prefix) ? key.substring(prefix.length()) : null;
        if (child != null && !child.isEmpty() && !child.contains(".") && !child.contains("[")
            && !node.has(child)) {
          problems.add(key + " is documented but missing");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = prefix + e.getKey();
        if (documented.getOrDefault(child, Set.of()).contains("any")) {
          seen.add(child); // a free-form value (a config field's): not walked
        } else {
          check(e.getValue(), child, documented, problems, seen);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        check(element, path + "[]", documented, problems, seen);
      }
    }
  }

  private static String type(JsonNode n) {
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      return "string";
    }
    if (n.isIntegralNumber()) {
      return "int";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    return n.isObject() ? "object" : n.isArray() ? "array" : n.getNodeType().toString();
  }
}
