package dev.refit.pipeline.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link VerifyReport} as {@code refit verify} prints it: a table, or the
 * {@code refit.verify/v1} JSON document that docs/diff-json.md describes (its field names and
 * types are the contract). Stateless.
 */
public final class VerifyOutput {
  public static final String SCHEMA = "refit.verify/v1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private VerifyOutput() {}

  public static ObjectNode json(VerifyReport r) {
    ObjectNode root = NODES.objectNode();
    root.put("schema", SCHEMA);
    root.put("image", r.image());
    root.put("digest", r.digest().toString());
    ObjectNode base = root.putObject("base");
    base.put("name", r.baseName());
    base.put("digest", r.baseDigest().toString());
    root.put("builder", r.builder());
    root.put("verified", r.verified());
    ArrayNode patches = root.putArray("patches");
    for (VerifyReport.PatchState p : r.patches()) {
      patches.addObject().put("id", p.id()).put("source", p.source()).put("sha256", p.sha256())
          .put("reapplied", p.usable());
    }
    ArrayNode explained = root.putArray("explained");
    for (VerifyReport.Explained e : r.explained()) {
      explained.addObject().put("path", e.path()).put("change", e.change().json())
          .put("patch", e.patch());
    }
    ArrayNode unexplained = root.putArray("unexplained");
    for (Finding f : r.unexplained()) {
      unexplained.addObject().put("kind", f.kind().json()).put("subject", f.subject())
          .put("detail", f.detail());
    }
    return root;
  }

  /** The table: what was checked, one row per explained path, then one per finding, then the verdict. */
  public static String table(VerifyReport r) {
    StringBuilder out = new StringBuilder();
    out.append("image    ").append(r.image()).append(" (").append(r.digest()).append(")\n");
    out.append("base     ").append(r.baseName() == null ? "-" : r.baseName()).append(" (")
        .append(r.baseDigest()).append(")\n");
    out.append("builder  ").append(r.builder() == null ? "-" : r.builder()).append('\n');
    for (VerifyReport.PatchState p : r.patches()) {
      out.append("patch    ").append(p.id()).append(' ').append(p.source()).append(' ')
          .append(p.sha256()).append(p.usable() ? "" : "  (not re-applied)").append('\n');
    }
    int width = r.explained().stream().mapToInt(e -> e.path().length()).max().orElse(0);
    for (VerifyReport.Explained e : r.explained()) {
      out.append(String.format("ok       %-8s %-" + width + "s  %s%n", e.change().json(),
          e.path(), e.patch() == null ? "" : "patch " + e.patch()));
    }
    for (Finding f : r.unexplained()) {
      out.append(String.format("UNEXPLAINED %-7s %s: %s%n", f.kind().json(), f.subject(),
          f.detail()));
    }
    out.append(r.verified()
        ? "verified: " + r.image() + " is its base plus " + r.patches().size()
            + " declared patch(es), and nothing else\n"
        : r.unexplained().size() + " unexplained difference(s) in " + r.image() + "\n");
    return out.toString();
  }
}
