package dev.refit.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.patches.fs.PathSafety;
import dev.refit.pipeline.diff.Change;
import dev.refit.pipeline.diff.ConfigDiff;
import dev.refit.pipeline.diff.Entry;
import dev.refit.pipeline.diff.PathDiff;
import dev.refit.pipeline.rebuild.Provenance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds a base→apex diff against the re-applied patches: a changed path is explained when a
 * patch writes it exactly so (type, mode, owner, content) or deletes it, or when it is a
 * directory the builder created for a patched file; every expected change must be there; a
 * config field may differ only in refit's own labels. Stateless.
 */
final class Comparison {
  /** The labels prepare writes ({@link Provenance#labels}). */
  static final Set<String> REFIT_LABELS = Set.of(Provenance.BASE_NAME, Provenance.BASE_DIGEST,
      Provenance.PATCHES, Provenance.BUILDER, Provenance.VERSION, Provenance.BUILD_KEY);
  /** The docker builder's per-patch labels ({@code DockerfileWriter}), N from 1. */
  private static final Pattern PATCH_LABEL =
      Pattern.compile("dev\\.refit\\.patch\\.([1-9][0-9]{0,5})\\.(id|source|sha256)");

  /** What the comparison found. */
  record Outcome(List<VerifyReport.Explained> explained, List<Finding> unexplained) {}

  private Comparison() {}

  /**
   * @param sameAsBase whether an expected file equals the base's entry at its path (a patch that
   *     leaves a file as it was changes nothing a diff could show)
   */
  static Outcome compare(ExpectedChanges.Result expected, List<PathDiff> paths,
      List<ConfigDiff> config, List<ApexLabels.Declared> declared,
      Predicate<ExpectedChanges.File> sameAsBase) {
    List<VerifyReport.Explained> explained = new ArrayList<>();
    List<Finding> unexplained = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (PathDiff d : paths) {
      String path = normalise(d.path());
      seen.add(path);
      String why = unexplained(d, path, expected);
      if (why == null) {
        String patch = expected.patchOf(path).orElseGet(() -> d.change() == Change.REMOVED
            ? deleterAbove(expected, path) : writerBelow(expected, path));
        explained.add(new VerifyReport.Explained(d.path(), d.change(), patch));
      } else {
        unexplained.add(new Finding(kind(d, path, expected), d.path(), why));
      }
    }
    for (ExpectedChanges.File f : expected.files().values()) {
      if (!seen.contains(f.path()) && !sameAsBase.test(f)) {
        unexplained.add(new Finding(Finding.Kind.MISSING, "/" + f.path(), "patch " + f.patch()
            + " writes it, but the image has it as in the base"));
      }
    }
    expected.deleted().forEach((path, patch) -> {
      if (!seen.contains(path)) {
        unexplained.add(new Finding(Finding.Kind.MISSING, "/" + path, "patch " + patch
            + " deletes it, but the image still has it"));
      }
    });
    config.forEach(c -> unexplained.addAll(configFindings(c, declared)));
    return new Outcome(explained, unexplained);
  }

  /** Why {@code d} is not what the patches make of {@code path}, or null when it is. */
  private static String unexplained(PathDiff d, String path, ExpectedChanges.Result expected) {
    if (d.change() == Change.REMOVED) {
      ExpectedChanges.File written = expected.files().get(path);
      return deletedByPatch(expected, path) ? null : written != null
          ? "patch " + written.patch() + " writes it, but the image removes it"
          : "removed; no patch deletes it";
    }
    Entry b = d.b();
    ExpectedChanges.File f = expected.files().get(path);
    if (f == null) {
      if ("dir".equals(b.type()) && d.change() == Change.ADDED && writerBelow(expected, path) != null) {
        return null;
      }
      return (d.change() == Change.ADDED ? "added " + b.type() : "changed " + d.differs())
          + "; no patch writes it";
    }
    List<String> off = new ArrayList<>();
    if (!"file".equals(b.type())) {
      off.add("is a " + b.type() + ", not a file");
    }
    if (!Objects.equals(b.sha256(), f.sha256().toString())) {
      off.add("content " + b.sha256() + ", re-applied " + f.sha256());
    }
    if (b.mode() != f.mode()) {
      off.add(String.format("mode %s, re-applied %04o", b.octalMode(), f.mode()));
    }
    if (b.uid() != f.uid() || b.gid() != f.gid()) {
      off.add("owner " + b.uid() + ":" + b.gid() + ", re-applied " + f.uid() + ":" + f.gid());
    }
    return off.isEmpty() ? null : "patch " + f.patch() + " writes it, but " + String.join("; ", off);
  }

  private static Finding.Kind kind(PathDiff d, String path, ExpectedChanges.Result expected) {
    if (expected.files().containsKey(path)) {
      return Finding.Kind.DIFFERS;
    }
    return switch (d.change()) {
      case ADDED -> Finding.Kind.EXTRA;
      case REMOVED -> Finding.Kind.REMOVED;
      case CHANGED -> Finding.Kind.CHANGED;
    };
  }

  private static boolean deletedByPatch(ExpectedChanges.Result expected, String path) {
    return deleterAbove(expected, path) != null;
  }

  /** The patch that deletes {@code path} or a directory above it, or null. */
  private static String deleterAbove(ExpectedChanges.Result expected, String path) {
    for (String p = path; !p.isEmpty(); p = PathSafety.parent(p)) {
      if (expected.deleted().containsKey(p)) {
        return expected.deleted().get(p);
      }
    }
    return null;
  }

  /** The patch of the first expected file below directory {@code dir}, or null. */
  private static String writerBelow(ExpectedChanges.Result expected, String dir) {
    String prefix = dir + "/";
    String next = expected.files().ceilingKey(prefix);
    return next != null && next.startsWith(prefix) ? expected.files().get(next).patch() : null;
  }

  /**
   * Config differences other than refit's labels: the provenance labels, and the docker
   * builder's per-patch labels ({@code dev.refit.patch.N.id|source|sha256}) where they name the
   * declared patch N.
   */
  static List<Finding> configFindings(ConfigDiff c, List<ApexLabels.Declared> declared) {
    if (!c.field().equals("Labels")) {
      return List.of(new Finding(Finding.Kind.CONFIG, c.field(), "base " + c.a() + ", image "
          + c.b() + "; no refit label accounts for it"));
    }
    List<Finding> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>();
    if (c.a() != null) {
      c.a().fieldNames().forEachRemaining(keys::add);
    }
    if (c.b() != null) {
      c.b().fieldNames().forEachRemaining(keys::add);
    }
    for (String key : keys) {
      JsonNode va = c.a() == null ? null : c.a().get(key);
      JsonNode vb = c.b() == null ? null : c.b().get(key);
      if (!Objects.equals(va, vb) && !REFIT_LABELS.contains(key)
          && !(va == null && vb != null && namesDeclared(key, vb.asText(), declared))) {
        out.add(new Finding(Finding.Kind.CONFIG, "Labels." + key, "base " + va + ", image " + vb
            + "; not a label refit writes"));
      }
    }
    return out;
  }

  /** Whether {@code key} is the docker builder's label for a field of declared patch N, with its value. */
  private static boolean namesDeclared(String key, String value, List<ApexLabels.Declared> declared) {
    Matcher m = PATCH_LABEL.matcher(key);
    if (!m.matches() || Integer.parseInt(m.group(1)) > declared.size()) {
      return false;
    }
    ApexLabels.Declared p = declared.get(Integer.parseInt(m.group(1)) - 1);
    return value.equals(switch (m.group(2)) {
      case "id" -> p.id();
      case "source" -> p.source();
      default -> p.sha256().toString();
    });
  }

  private static String normalise(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
