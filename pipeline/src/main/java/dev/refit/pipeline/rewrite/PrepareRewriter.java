package dev.refit.pipeline.rewrite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Rewrites {@code containers-prepare-parameter.yaml}. Each {@code ContainerImagePrepare} entry's
 * {@code set.namespace} (and {@code set.ceph_namespace}) moves to the local registry, keeping the
 * path, so unpatched images come from their mirror copies with the entry's own tag or
 * {@code tag_from_label}. Patched services are layered the way TripleO documents ("Layering image
 * preparation entries"): the covering entry gets an {@code excludes} regex for the image and a new
 * entry with the same regex in {@code includes} sets the local namespace and {@code tag: apex}. A
 * patched ceph image ({@code set.ceph_image}) gets {@code ceph_tag: apex}. Re-running finds its own
 * override entries and changes nothing. Stateless; thread-safe.
 */
final class PrepareRewriter {

  private PrepareRewriter() {
  }

  static boolean matches(Node root) {
    return prepare(root) instanceof SequenceNode;
  }

  private static Node prepare(Node root) {
    return YamlSource.get(YamlSource.get(root, "parameter_defaults"), "ContainerImagePrepare");
  }

  static Plan plan(YamlSource src, ImageMapping m) {
    Plan plan = new Plan();
    List<Node> entries = YamlSource.items(prepare(src.root()));
    Set<String> overridden = new HashSet<>();
    for (Node entry : entries) {
      if (isOverride(entry, m)) {
        for (String s : m.patched()) {
          if (anyFinds(src, YamlSource.get(entry, "includes"), imageName(entry, s))) {
            overridden.add(s);
          }
        }
      }
    }
    // the last entry yielding a patched image decides its namespace and prefix in the override
    Map<Integer, Set<String>> overrideFrom = new TreeMap<>();
    Map<String, Integer> lastEntry = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Node entry = entries.get(i);
      String where = "ContainerImagePrepare[" + i + "]";
      Node set = YamlSource.get(entry, "set");
      if (namespace(entry) == null) {
        throw new RewriteException(src.file(), YamlSource.line(entry), YamlSource.column(entry) + 1,
            where + " has no set.namespace, so TripleO would pull from its built-in default upstream;"
            + " add set.namespace (the upstream namespace) so refit can point it at the local registry", null);
      }
      String cephImage = YamlSource.scalar(YamlSource.get(set, "ceph_image"));
      String cephService = cephImage == null || cephImage.isBlank() ? null : m.serviceOfName(cephImage);
      // A strategy yielding a failed image keeps its upstream namespace, so that image is never
      // taken from the mirror copy of its unpatched tag; its patched images still get an override.
      if (!yieldsHeld(src, entry, cephService, m)) {
        moveNamespace(src, set, "namespace", where, m, plan);
      }
      if (cephService == null || !m.isHeld(cephService)) {
        moveNamespace(src, set, "ceph_namespace", where, m, plan);
        cephTag(src, set, cephService, where, m, plan);
      }
      if (set == null || isOverride(entry, m)) {
        continue;
      }
      Node includes = YamlSource.get(entry, "includes");
      Node excludes = YamlSource.get(entry, "excludes");
      Set<String> covered = new TreeSet<>();
      for (String s : m.patched()) {
        if (yields(src, entry, imageName(entry, s)) && !overridden.contains(s) && !s.equals(cephService)) {
          covered.add(s);
          lastEntry.put(s, i);
        }
      }
      if (!covered.isEmpty() && includes == null) {
        PrepareInsertions.exclude(src, entry, excludes,
            covered.stream().map(s -> regexFor(imageName(entry, s))).toList(), where, plan);
      }
    }
    lastEntry.forEach((s, i) -> overrideFrom.computeIfAbsent(i, k -> new TreeSet<>()).add(s));
    StringBuilder appended = new StringBuilder();
    for (Map.Entry<Integer, Set<String>> e : overrideFrom.entrySet()) {
      Node entry = entries.get(e.getKey());
      List<String> regexes = e.getValue().stream().map(s -> regexFor(imageName(entry, s))).toList();
      appended.append(PrepareInsertions.overrideEntry(src, entries.get(0), entry, regexes, m));
      plan.changes().add(new Change(src.lineAt(src.afterLastLine(prepare(src.root()))),
          "ContainerImagePrepare[+]", "", "includes " + e.getValue() + " -> "
          + m.localNamespace(namespace(entry)) + " tag " + m.apexTag()));
    }
    if (!appended.isEmpty()) {
      int at = src.afterLastLine(prepare(src.root()));
      String lead = at == src.text().length() && src.endsWithoutNewline() ? src.newline() : "";
      plan.edits().add(new Edit(at, at, lead + appended));
    }
    return plan;
  }

  /** An entry refit added earlier (or equivalent): local namespace, the apex tag, and includes. */
  private static boolean isOverride(Node entry, ImageMapping m) {
    Node set = YamlSource.get(entry, "set");
    String ns = namespace(entry);
    return ns != null && m.localNamespace(ns).equals(ns)
        && m.apexTag().equals(YamlSource.scalar(YamlSource.get(set, "tag")))
        && !YamlSource.items(YamlSource.get(entry, "includes")).isEmpty();
  }

  private static String namespace(Node entry) {
    return YamlSource.scalar(YamlSource.get(YamlSource.get(entry, "set"), "namespace"));
  }

  private static void moveNamespace(YamlSource src, Node set, String key, String where, ImageMapping m, Plan plan) {
    Node node = YamlSource.get(set, key);
    if (node instanceof ScalarNode s && !s.getValue().isBlank()) {
      String moved = m.localNamespace(s.getValue());
      if (!moved.equals(s.getValue())) {
        plan.add(src.replace(s, moved), new Change(YamlSource.line(s), where + ".set." + key, s.getValue(), moved));
      }
    }
  }

  /** True when {@code entry}, not one of refit's own, yields a held image other than its ceph image. */
  private static boolean yieldsHeld(YamlSource src, Node entry, String cephService, ImageMapping m) {
    if (isOverride(entry, m)) {
      return false;
    }
    for (String s : m.held()) {
      if (!s.equals(cephService) && yields(src, entry, imageName(entry, s))) {
        return true;
      }
    }
    return false;
  }

  /** Whether TripleO takes image {@code name} from {@code entry}: its includes, else not its excludes. */
  private static boolean yields(YamlSource src, Node entry, String name) {
    Node includes = YamlSource.get(entry, "includes");
    return includes != null ? anyFinds(src, includes, name)
        : !anyFinds(src, YamlSource.get(entry, "excludes"), name);
  }

  /** Points the strategy's ceph image at the apex tag when its service is patched. */
  private static void cephTag(YamlSource src, Node set, String cephService, String where, ImageMapping m,
      Plan plan) {
    if (cephService == null || !m.isPatched(cephService)) {
      return;
    }
    Node tag = YamlSource.get(set, "ceph_tag");
    if (tag instanceof ScalarNode t) {
      if (!t.getValue().equals(m.apexTag())) {
        plan.add(src.replace(t, m.apexTag()),
            new Change(YamlSource.line(t), where + ".set.ceph_tag", t.getValue(), m.apexTag()));
      }
    } else {
      PrepareInsertions.addKey(src, set, "ceph_tag", m.apexTag(), where + ".set", plan);
    }
  }

  /** The image name TripleO matches includes/excludes against: name_prefix + service + name_suffix. */
  static String imageName(Node entry, String service) {
    Node set = YamlSource.get(entry, "set");
    String prefix = YamlSource.scalar(YamlSource.get(set, "name_prefix"));
    String suffix = YamlSource.scalar(YamlSource.get(set, "name_suffix"));
    return (prefix == null ? "" : prefix) + service + (suffix == null ? "" : suffix);
  }

  /**
   * A regex that finds exactly this image in a name or full reference: bounded by start or '/'
   * and by ':' or end, so {@code nova} never matches {@code novajoin-server} and
   * {@code heat-api} never matches {@code heat-api-cfn}.
   */
  static String regexFor(String imageName) {
    StringBuilder sb = new StringBuilder("(^|/)");
    for (char c : imageName.toCharArray()) {
      if (".^$*+?()[]{}|\\".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append("(:|$)").toString();
  }

  /** TripleO applies includes/excludes with Python re.search; Java's find() has the same meaning. */
  private static boolean anyFinds(YamlSource src, Node patterns, String name) {
    List<Node> items = new ArrayList<>(YamlSource.items(patterns));
    for (Node p : items) {
      String regex = YamlSource.scalar(p);
      if (regex == null) {
        continue;
      }
      try {
        if (Pattern.compile(regex).matcher(name).find()) {
          return true;
        }
      } catch (PatternSyntaxException e) {
        throw new RewriteException(src.file(), YamlSource.line(p), YamlSource.column(p) + 1,
            "'" + regex + "' is not a valid regular expression: " + e.getDescription(), e);
      }
    }
    return false;
  }
}
