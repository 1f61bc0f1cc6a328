package dev.refit.pipeline.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An {@link ImageDiff} for people: one line per path ({@code A} added, {@code R} removed,
 * {@code M} changed, then what), the config fields and packages that differ, and a summary
 * line. Stateless.
 */
public final class DiffTable {
  private DiffTable() {}

  public static String render(ImageDiff diff) {
    StringBuilder out = new StringBuilder();
    out.append("a: ").append(side(diff.a())).append('\n');
    out.append("b: ").append(side(diff.b())).append('\n');
    for (PathDiff p : diff.paths()) {
      out.append(letter(p.change())).append(' ').append(p.path()).append("  ")
          .append(details(p)).append('\n');
    }
    if (!diff.config().isEmpty()) {
      out.append("config:\n");
      for (ConfigDiff c : diff.config()) {
        out.append("  ").append(c.field()).append(": ").append(changed(c.a(), c.b())).append('\n');
      }
    }
    if (!diff.packages().isEmpty()) {
      out.append("packages:\n");
      for (PackageDiff p : diff.packages()) {
        out.append("  ").append(letter(p.change())).append(' ').append(p.name()).append(' ')
            .append(p.a() == null ? "" : p.a()).append(p.a() != null && p.b() != null ? " -> " : "")
            .append(p.b() == null ? "" : p.b()).append(" (").append(p.manager()).append(")\n");
      }
    }
    out.append(summary(diff)).append('\n');
    return out.toString();
  }

  static String summary(ImageDiff diff) {
    String counts = diff.same() ? "same: no difference"
        : diff.count(Change.ADDED) + " added, " + diff.count(Change.REMOVED) + " removed, "
            + diff.count(Change.CHANGED) + " changed, " + diff.config().size() + " config, "
            + diff.packages().size() + " packages";
    return counts + " (" + diff.stats().sharedLayers() + " shared layers, "
        + diff.stats().layersRead() + " layers read)";
  }

  private static String side(ImageDiff.Side s) {
    return s.reference() + " " + s.digest() + " " + s.platform() + " " + s.layers() + " layers";
  }

  private static char letter(Change c) {
    return switch (c) {
      case ADDED -> 'A';
      case REMOVED -> 'R';
      case CHANGED -> 'M';
    };
  }

  private static String details(PathDiff p) {
    if (p.change() != Change.CHANGED) {
      return describe(p.a() != null ? p.a() : p.b());
    }
    List<String> parts = new ArrayList<>();
    for (String f : p.differs()) {
      parts.add(f + " " + field(f, p.a()) + " -> " + field(f, p.b()));
    }
    return String.join(", ", parts);
  }

  private static String describe(Entry e) {
    StringBuilder s = new StringBuilder(e.type()).append(' ').append(e.octalMode()).append(' ')
        .append(e.uid()).append(':').append(e.gid());
    if (e.type().equals("file")) {
      s.append(' ').append(e.size()).append(" B");
    }
    if (e.linkTarget() != null) {
      s.append(" -> ").append(e.linkTarget());
    }
    return s.toString();
  }

  private static String field(String f, Entry e) {
    return switch (f) {
      case "type" -> e.type();
      case "mode" -> e.octalMode();
      case "uid" -> String.valueOf(e.uid());
      case "gid" -> String.valueOf(e.gid());
      case "size" -> String.valueOf(e.size());
      case "linkTarget" -> String.valueOf(e.linkTarget());
      case "content" -> e.sha256() == null ? "-" : e.sha256().substring(0, Math.min(19, e.sha256().length()));
      default -> "?";
    };
  }

  /** Both values; for objects (Labels), only the keys that differ. */
  private static String changed(JsonNode a, JsonNode b) {
    boolean objects = (a == null || a.isObject()) && (b == null || b.isObject());
    if (!objects) {
      return shown(a) + " -> " + shown(b);
    }
    a = a == null ? JsonNodeFactory.instance.objectNode() : a;
    b = b == null ? JsonNodeFactory.instance.objectNode() : b;
    TreeSet<String> keys = new TreeSet<>();
    a.fieldNames().forEachRemaining(keys::add);
    b.fieldNames().forEachRemaining(keys::add);
    List<String> parts = new ArrayList<>();
    for (String k : keys) {
      JsonNode va = a.get(k);
      JsonNode vb = b.get(k);
      if (va == null) {
        parts.add("+" + k + "=" + vb.asText());
      } else if (vb == null) {
        parts.add("-" + k + "=" + va.asText());
      } else if (!va.equals(vb)) {
        parts.add(k + ": " + va.asText() + " -> " + vb.asText());
      }
    }
    return String.join(", ", parts);
  }

  private static String shown(JsonNode v) {
    return v == null ? "(unset)" : v.toString();
  }
}
