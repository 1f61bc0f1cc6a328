package dev.refit.pipeline.rewrite;

import dev.refit.error.Causes;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML file parsed to a node graph (SnakeYAML's composer, the parser under Jackson YAML) with
 * every node's exact character range, so rewriters can replace a value scalar's range and nothing
 * else: comments, key order, quoting and blank lines stay byte for byte. Not thread-safe; one per
 * rewrite.
 */
final class YamlSource {

  private final Path file;
  private final String text;
  private final Node root;
  /** charIndex[codePointIndex], or null when the text has no surrogate pairs. */
  private final int[] charIndex;

  private YamlSource(Path file, String text, Node root) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.charIndex = text.length() == text.codePointCount(0, text.length()) ? null : codePointTable(text);
  }

  /** Parses one YAML document; malformed YAML is a RewriteException with the line and column. */
  static YamlSource parse(Path file, String text) {
    try {
      Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
      return new YamlSource(file, text, root);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new RewriteException(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
          "malformed YAML: " + problem + "; fix the YAML syntax and run again", e);
    } catch (YAMLException e) {
      throw new RewriteException(file, "malformed YAML: " + Causes.describe(e)
          + "; fix the YAML syntax and run again", e);
    }
  }

  Path file() {
    return file;
  }

  String text() {
    return text;
  }

  /** The document's root node; null for an empty document. */
  Node root() {
    return root;
  }

  /** The value of {@code key} in a mapping node, or null when absent or {@code node} is no mapping. */
  static Node get(Node node, String key) {
    if (!(node instanceof MappingNode m)) {
      return null;
    }
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  static List<NodeTuple> tuples(Node node) {
    return node instanceof MappingNode m ? m.getValue() : List.of();
  }

  static List<Node> items(Node node) {
    return node instanceof SequenceNode s ? s.getValue() : List.of();
  }

  /** The scalar's value, or null when {@code node} is not a scalar. */
  static String scalar(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  int start(Node n) {
    return index(n.getStartMark());
  }

  int end(Node n) {
    return index(n.getEndMark());
  }

  /** 1-based line of the node's start. */
  static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  /** 0-based column of the node's start (characters, as YAML counts indentation). */
  static int column(Node n) {
    return n.getStartMark().getColumn();
  }

  static boolean isFlow(Node n) {
    return n instanceof MappingNode m && m.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW
        || n instanceof SequenceNode s && s.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW;
  }

  /**
   * Replaces exactly the scalar's range with {@code newValue}, keeping its quoting style; a plain
   * scalar stays plain when the new value is safe plain YAML, else it is single-quoted.
   */
  Edit replace(ScalarNode node, String newValue) {
    return new Edit(valueStart(node), end(node), render(newValue, node.getScalarStyle()));
  }

  /** Where the scalar itself starts: a node's start mark includes its anchor ({@code &a}) and tag ({@code !t}). */
  private int valueStart(ScalarNode node) {
    int i = start(node);
    int end = end(node);
    while (i < end && (text.charAt(i) == '&' || text.charAt(i) == '!')) {
      while (i < end && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      while (i < end && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
    }
    return i;
  }

  static String render(String value, ScalarStyle style) {
    if (style == ScalarStyle.DOUBLE_QUOTED) {
      return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    if (style == ScalarStyle.PLAIN && isSafePlain(value)) {
      return value;
    }
    return "'" + value.replace("'", "''") + "'";
  }

  /** Conservative: the characters of image references and regexes without YAML indicators. */
  static boolean isSafePlain(String v) {
    if (v.isEmpty() || "-?:,[]{}#&*!|>'\"%@`".indexOf(v.charAt(0)) >= 0) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok = Character.isLetterOrDigit(c) || "._-/:@+".indexOf(c) >= 0;
      if (!ok || c == ':' && (i + 1 == v.length())) {
        return false;
      }
    }
    return true;
  }

  /** Index just after the end of the line holding character {@code index} (after its '\n'). */
  int lineEnd(int index) {
    int nl = text.indexOf('\n', index);
    return nl < 0 ? text.length() : nl + 1;
  }

  /** Where a new line may be inserted after everything of {@code node}: after the line of its last leaf. */
  int afterLastLine(Node node) {
    Node last = lastLeaf(node);
    int idx = end(last);
    if (idx > 0 && idx <= text.length() && text.charAt(idx - 1) == '\n') {
      return idx;
    }
    return lineEnd(Math.max(0, idx - 1));
  }

  /** 1-based line number of character {@code index}. */
  int lineAt(int index) {
    int line = 1;
    for (int i = 0; i < index && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The column of the '-' that introduces block sequence item {@code item}, or -1 when there is none. */
  int dashColumn(Node item) {
    int i = start(item) - 1;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    if (i < 0 || text.charAt(i) != '-') {
      return -1;
    }
    int lineStart = text.lastIndexOf('\n', i) + 1;
    return i - lineStart;
  }

  /** The original source text of a node (e.g. a scalar with its quotes). */
  String source(Node n) {
    return text.substring(start(n), end(n));
  }

  /** The line separator to use in insertions: CRLF when the file uses it. */
  String newline() {
    return text.contains("\r\n") ? "\r\n" : "\n";
  }

  /** True when the text ends without a final newline (insertions at the end must add one first). */
  boolean endsWithoutNewline() {
    return !text.isEmpty() && text.charAt(text.length() - 1) != '\n';
  }

  private static Node lastLeaf(Node node) {
    if (node instanceof MappingNode m && !m.getValue().isEmpty() && !isFlow(m)) {
      return lastLeaf(m.getValue().get(m.getValue().size() - 1).getValueNode());
    }
    if (node instanceof SequenceNode s && !s.getValue().isEmpty() && !isFlow(s)) {
      return lastLeaf(s.getValue().get(s.getValue().size() - 1));
    }
    return node;
  }

  private int index(Mark mark) {
    int cp = mark.getIndex();
    if (charIndex == null) {
      return cp;
    }
    return cp >= charIndex.length ? text.length() : charIndex[cp];
  }

  private static int[] codePointTable(String text) {
    int[] table = new int[text.codePointCount(0, text.length()) + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
      table[cp++] = i;
    }
    table[cp] = text.length();
    return table;
  }
}
