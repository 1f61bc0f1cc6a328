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
    Map<String, Set<String>> documented = JsonFieldsDoc.documentedFields(Files.readString(DOC), "fields");
    assertThat(documented).containsKeys("schema", "paths[].a.sha256", "stats.layersRead");

    JsonNode json = Json.mapper().readTree(Json.write(DiffJson.toJson(realDiff())));

    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    JsonFieldsDoc.check(json, "", documented, problems, seen);
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
}
