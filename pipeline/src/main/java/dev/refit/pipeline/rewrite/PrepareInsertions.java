package dev.refit.pipeline.rewrite;

import java.util.List;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Text insertions into block-style YAML for {@link PrepareRewriter}: new lines go after the last
 * line of the node they extend, indented like their siblings, so nothing already in the file moves
 * or changes. Flow-style collections get their items inserted before the closing bracket.
 * Stateless; thread-safe.
 */
final class PrepareInsertions {

  private PrepareInsertions() {
  }

  /** Adds {@code regexes} to the entry's excludes list, creating the key when absent. */
  static void exclude(YamlSource src, Node entry, Node excludes, List<String> regexes, String where, Plan plan) {
    String nl = src.newline();
    String key = where + ".excludes";
    if (excludes instanceof SequenceNode seq && YamlSource.isFlow(seq)) {
      int at = src.end(seq) - 1; // before ']'
      StringBuilder sb = new StringBuilder();
      for (String r : regexes) {
        if (!seq.getValue().isEmpty() || sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(YamlSource.render(r, ScalarStyle.SINGLE_QUOTED));
      }
      plan.add(new Edit(at, at, sb.toString()), new Change(YamlSource.line(seq), key, "", String.join(", ", regexes)));
    } else if (excludes instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
      Node last = seq.getValue().get(seq.getValue().size() - 1);
      int dash = src.dashColumn(seq.getValue().get(0));
      int at = src.afterLastLine(seq);
      StringBuilder sb = new StringBuilder(lead(src, at));
      for (String r : regexes) {
        sb.append(" ".repeat(Math.max(dash, 0))).append("- ")
            .append(YamlSource.render(r, ScalarStyle.SINGLE_QUOTED)).append(nl);
      }
      plan.add(new Edit(at, at, sb.toString()), new Change(YamlSource.line(last) + 1, key, "", String.join(", ", regexes)));
    } else if (excludes instanceof ScalarNode s && s.getValue().isEmpty()) {
      StringBuilder sb = new StringBuilder(src.start(s) > 0 && src.text().charAt(src.start(s) - 1) == ':' ? " [" : "[");
      for (int i = 0; i < regexes.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(YamlSource.render(regexes.get(i), ScalarStyle.SINGLE_QUOTED));
      }
      plan.add(new Edit(src.start(s), src.end(s), sb.append(']').toString()),
          new Change(YamlSource.line(s), key, "", String.join(", ", regexes)));
    } else if (excludes == null) {
      StringBuilder value = new StringBuilder();
      String indent = " ".repeat(keyIndent(src, entry, where));
      for (String r : regexes) {
        value.append(nl).append(indent).append("- ").append(YamlSource.render(r, ScalarStyle.SINGLE_QUOTED));
      }
      insertKey(src, entry, "excludes:" + value, where, key, String.join(", ", regexes), plan);
    } else {
      throw new RewriteException(src.file(), YamlSource.line(excludes), YamlSource.column(excludes) + 1,
          "excludes must be a list of regular expressions", null);
    }
  }

  /** Adds {@code key: value} as the last key of a block mapping. */
  static void addKey(YamlSource src, Node mapping, String key, String value, String where, Plan plan) {
    insertKey(src, mapping, key + ": " + YamlSource.render(value, ScalarStyle.PLAIN), where,
        where + "." + key, value, plan);
  }

  private static void insertKey(YamlSource src, Node mapping, String keyAndValue, String where,
      String changeKey, String changeValue, Plan plan) {
    int at = src.afterLastLine(mapping);
    String text = lead(src, at) + " ".repeat(keyIndent(src, mapping, where)) + keyAndValue + src.newline();
    plan.add(new Edit(at, at, text), new Change(src.lineAt(at), changeKey, "", changeValue));
  }

  /** The text of one override entry, placed after the last entry of ContainerImagePrepare. */
  static String overrideEntry(YamlSource src, Node firstEntry, Node entry, List<String> regexes, ImageMapping m) {
    String nl = src.newline();
    int dash = Math.max(src.dashColumn(firstEntry), 0);
    String d = " ".repeat(dash);
    String k = " ".repeat(dash + 2);
    StringBuilder sb = new StringBuilder();
    sb.append(d).append("# refit: patched images, tag ").append(m.apexTag()).append(" in the local registry").append(nl);
    Node push = YamlSource.get(entry, "push_destination");
    String first = push instanceof ScalarNode ? "push_destination: " + src.source(push) : null;
    sb.append(d).append("- ");
    if (first != null) {
      sb.append(first).append(nl).append(k).append("includes:");
    } else {
      sb.append("includes:");
    }
    sb.append(nl);
    for (String r : regexes) {
      sb.append(k).append("- ").append(YamlSource.render(r, ScalarStyle.SINGLE_QUOTED)).append(nl);
    }
    Node set = YamlSource.get(entry, "set");
    sb.append(k).append("set:").append(nl);
    String ns = YamlSource.scalar(YamlSource.get(set, "namespace"));
    sb.append(k).append("  namespace: ").append(YamlSource.render(m.localNamespace(ns), ScalarStyle.PLAIN)).append(nl);
    for (String key : List.of("name_prefix", "name_suffix")) {
      String v = YamlSource.scalar(YamlSource.get(set, key));
      if (v != null) {
        sb.append(k).append("  ").append(key).append(": ").append(YamlSource.render(v, ScalarStyle.PLAIN)).append(nl);
      }
    }
    sb.append(k).append("  tag: ").append(YamlSource.render(m.apexTag(), ScalarStyle.PLAIN)).append(nl);
    return sb.toString();
  }

  private static int keyIndent(YamlSource src, Node mapping, String where) {
    if (YamlSource.isFlow(mapping) || YamlSource.tuples(mapping).isEmpty()) {
      throw new RewriteException(src.file(), YamlSource.line(mapping), YamlSource.column(mapping) + 1,
          where + " is written in flow style ({...}); refit adds keys only to block mappings:"
          + " rewrite the entry one key per line", null);
    }
    return YamlSource.column(YamlSource.tuples(mapping).get(0).getKeyNode());
  }

  private static String lead(YamlSource src, int at) {
    return at == src.text().length() && src.endsWithoutNewline() ? src.newline() : "";
  }
}
