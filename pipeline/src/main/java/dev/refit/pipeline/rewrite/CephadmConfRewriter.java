package dev.refit.pipeline.rewrite;

import java.nio.file.Path;

/**
 * Rewrites a ceph.conf-style file fed to {@code ceph config assimilate-conf} (the air-gapped
 * cephadm recipe): in a {@code [mgr]} section, {@code mgr/cephadm/container_image_<name> = <ref>};
 * in {@code [global]}, {@code container_image = <ref>}. Read line by line as ceph's conf parser
 * does: '#' and ';' start comments, values may be double-quoted, keys treat ' ' and '_' alike.
 * Stateless; thread-safe.
 */
final class CephadmConfRewriter {

  private CephadmConfRewriter() {
  }

  /** A setting line: key, and the value's character range in the whole text. */
  private record Setting(int line, String section, String key, int valueStart, int valueEnd, boolean quoted) {
  }

  static boolean matches(String text) {
    boolean[] found = {false};
    scan(text, s -> found[0] |= isImageSetting(s));
    return found[0];
  }

  static Plan plan(Path file, String text, ImageMapping mapping) {
    Plan plan = new Plan();
    scan(text, s -> {
      if (!isImageSetting(s)) {
        return;
      }
      String old = text.substring(s.valueStart(), s.valueEnd());
      if (old.isEmpty()) {
        return;
      }
      String target = TargetRefs.target(file, s.line(), 0, "[" + s.section() + "] " + s.key(), old, mapping);
      if (!target.equals(old)) {
        plan.add(new Edit(s.valueStart(), s.valueEnd(), target), new Change(s.line(), s.key(), old, target));
      }
    });
    return plan;
  }

  private static boolean isImageSetting(Setting s) {
    String key = s.key().replace(' ', '_');
    return s.section().equals("mgr") && key.startsWith(CephadmCommandsRewriter.MGR_KEY_PREFIX)
        && key.length() > CephadmCommandsRewriter.MGR_KEY_PREFIX.length()
        || s.section().equals("global") && key.equals("container_image");
  }

  private static void scan(String text, java.util.function.Consumer<Setting> sink) {
    String section = null;
    int lineStart = 0;
    int lineNo = 0;
    while (lineStart < text.length()) {
      lineNo++;
      int nl = text.indexOf('\n', lineStart);
      int lineEnd = nl < 0 ? text.length() : nl;
      String line = text.substring(lineStart, lineEnd);
      String trimmed = line.strip();
      if (trimmed.startsWith("[") && trimmed.contains("]")) {
        section = trimmed.substring(1, trimmed.indexOf(']')).strip();
      } else if (section != null && !trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith(";")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          Setting s = setting(line, lineStart, eq, lineNo, section);
          if (s != null) {
            sink.accept(s);
          }
        }
      }
      lineStart = lineEnd + 1;
    }
  }

  private static Setting setting(String line, int offset, int eq, int lineNo, String section) {
    String key = line.substring(0, eq).strip();
    int v = eq + 1;
    while (v < line.length() && (line.charAt(v) == ' ' || line.charAt(v) == '\t')) {
      v++;
    }
    if (v < line.length() && line.charAt(v) == '"') {
      int close = line.indexOf('"', v + 1);
      if (close < 0) {
        return null;
      }
      return new Setting(lineNo, section, key, offset + v + 1, offset + close, true);
    }
    int end = line.length();
    for (int i = v; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c == '#' || c == ';') && (i == v || Character.isWhitespace(line.charAt(i - 1)))) {
        end = i;
        break;
      }
    }
    while (end > v && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return new Setting(lineNo, section, key, offset + v, offset + end, false);
  }
}
