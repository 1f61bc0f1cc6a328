package dev.refit.pipeline.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.patches.image.TestLayer;
import dev.refit.registry.oci.json.Json;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks a real diff's JSON against the field list of docs/diff-json.md, both ways. */
class DiffJsonSchemaTest {
  static final Path DOC = Path.of("..", "docs", "diff-json.md");

  @TempDir Path tmp;

  @Test
  void toJson_realDiff_matchesTheDocumentedFieldsAndTypes() throws Exception {
    Map<String, Set<String>> documented = documentedFields(Files.readString(DOC));
    assertThat(documented).containsKeys("schema", "paths[].a.sha256", "stats.layersRead");

    JsonNode json = Json.mapper().readTree(Json.write(DiffJson.toJson(realDiff())));

    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    check(json, "", documented, problems, seen);
    assertThat(problems).isEmpty();
    // The real diff exercises every documented field.
    assertThat(seen).containsAll(documented.keySet());
    assertThat(json.get("schema").asText()).isEqualTo("refit.diff/v1");
    assertThat(json.at("/paths/0/a/mode").asText()).matches("[0-7]{4}");
    assertThat(json.at("/a/digest").asText()).startsWith("sha256:");
  }

  private ImageDiff realDiff() throws Exception {
    FsStore store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    DiffImages images = new DiffImages(store, Files.createDirectories(tmp.resolve("layers")));
    byte[] base = images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "a=1\n")
        .file("etc/gone", "g\n").symlink("etc/link", "a.conf").dir("var").dir("var/lib")
        .dir("var/lib/dpkg").file("var/lib/dpkg/status",
            "Package: bash\nStatus: install ok installed\nVersion: 5.1\n"));
    images.image("app", "a", base);
    images.image("app", "b", "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"nova\"},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", base, images.layer(TestLayer.create()
        .dir("etc").file("etc/a.conf", "a=2\n").whiteout("etc/gone").file("etc/new", "n\n")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").file("var/lib/dpkg/status",
            "Package: bash\nStatus: install ok installed\nVersion: 5.2\n")));
    LayerCache cache = new LayerCache(tmp.resolve("run"), LayerIndexes.in(tmp.resolve("cache")));
    return StoreDiffs.diff(store, cache, "app", "a", "app", "b", DiffOptions.defaults());
  }

  /** {@code path: type} lines of the doc's {@code ```fields} block. */
  static Map<String, Set<String>> documentedFields(String doc) {
    int start = doc.indexOf("```fields\n");
    int end = doc.indexOf("```", start + 10);
    assertThat(start).as("a ```fields block in " + DOC).isNotNegative();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String line : doc.substring(start + 10, end).split("\n")) {
      if (!line.isBlank()) {
        String[] kv = line.split(":", 2);
        out.put(kv[0].strip(), Set.of(kv[1].strip().split("\\|")));
      }
    }
    return out;
  }

  private static void check(JsonNode node, String path, Map<String, Set<String>> documented,
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
