package dev.refit.pipeline.diff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@link ImageDiff} as the {@code refit.diff/v1} JSON document that docs/diff-json.md
 * describes; field names and types there are the contract. Stateless.
 */
public final class DiffJson {
  public static final String SCHEMA = "refit.diff/v1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DiffJson() {}

  public static ObjectNode toJson(ImageDiff diff) {
    ObjectNode root = NODES.objectNode();
    root.put("schema", SCHEMA);
    root.set("a", side(diff.a()));
    root.set("b", side(diff.b()));
    root.put("same", diff.same());
    ObjectNode summary = root.putObject("summary");
    summary.put("added", diff.count(Change.ADDED));
    summary.put("removed", diff.count(Change.REMOVED));
    summary.put("changed", diff.count(Change.CHANGED));
    summary.put("config", diff.config().size());
    summary.put("packages", diff.packages().size());
    ArrayNode paths = root.putArray("paths");
    for (PathDiff p : diff.paths()) {
      ObjectNode n = paths.addObject();
      n.put("path", p.path());
      n.put("change", p.change().json());
      n.set("a", entry(p.a()));
      n.set("b", entry(p.b()));
      ArrayNode differs = n.putArray("differs");
      p.differs().forEach(differs::add);
      n.put("unified", p.unified());
    }
    ArrayNode config = root.putArray("config");
    for (ConfigDiff c : diff.config()) {
      ObjectNode n = config.addObject();
      n.put("field", c.field());
      n.set("a", c.a() == null ? NODES.nullNode() : c.a());
      n.set("b", c.b() == null ? NODES.nullNode() : c.b());
    }
    ArrayNode packages = root.putArray("packages");
    for (PackageDiff p : diff.packages()) {
      ObjectNode n = packages.addObject();
      n.put("manager", p.manager());
      n.put("name", p.name());
      n.put("change", p.change().json());
      n.put("a", p.a());
      n.put("b", p.b());
    }
    ObjectNode stats = root.putObject("stats");
    stats.put("sharedLayers", diff.stats().sharedLayers());
    stats.put("layersRead", diff.stats().layersRead());
    return root;
  }

  private static ObjectNode side(ImageDiff.Side s) {
    ObjectNode n = NODES.objectNode();
    n.put("reference", s.reference());
    n.put("digest", s.digest().toString());
    n.put("platform", s.platform());
    n.put("layers", s.layers());
    return n;
  }

  private static com.fasterxml.jackson.databind.JsonNode entry(Entry e) {
    if (e == null) {
      return NODES.nullNode();
    }
    ObjectNode n = NODES.objectNode();
    n.put("type", e.type());
    n.put("mode", e.octalMode());
    n.put("uid", e.uid());
    n.put("gid", e.gid());
    n.put("size", e.size());
    n.put("linkTarget", e.linkTarget());
    n.put("sha256", e.sha256());
    return n;
  }
}
