package dev.refit.patches.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.patch.FileHeader;

/**
 * The unstripped names of one file section, for {@code -p0}: JGit always drops the first path
 * component, so the names are taken from the section's own {@code ---}/{@code +++} lines (or
 * git's rename lines) in the parser's buffer. Immutable.
 */
record RawNames(String oldRaw, String newRaw) {

  static RawNames of(FileHeader fh) {
    byte[] text = fh.getBuffer();
    int start = fh.getStartOffset();
    List<? extends org.eclipse.jgit.patch.HunkHeader> hunks = fh.getHunks();
    int end = hunks.isEmpty() ? fh.getEndOffset() : hunks.get(0).getStartOffset();
    String header = new String(text, start, Math.max(0, end - start), StandardCharsets.UTF_8);
    String oldRaw = null;
    String newRaw = null;
    for (String line : header.split("\n")) {
      if (line.startsWith("--- ")) {
        oldRaw = name(line.substring(4));
      } else if (line.startsWith("+++ ")) {
        newRaw = name(line.substring(4));
      } else if (line.startsWith("rename from ") && oldRaw == null) {
        oldRaw = line.substring("rename from ".length());
      } else if (line.startsWith("rename to ") && newRaw == null) {
        newRaw = line.substring("rename to ".length());
      }
    }
    if (oldRaw == null && newRaw == null && header.startsWith("diff --git ")) {
      // Mode-only section without ---/+++: "diff --git X X" names the same path twice.
      String first = header.split("\n", 2)[0].substring("diff --git ".length());
      if (first.length() % 2 == 1 && first.charAt(first.length() / 2) == ' ') {
        oldRaw = first.substring(0, first.length() / 2);
        newRaw = oldRaw;
      }
    }
    return new RawNames(oldRaw, newRaw);
  }

  String oldName(String fallback) {
    return oldRaw == null || oldRaw.equals("/dev/null") ? fallback : oldRaw;
  }

  String newName(String fallback) {
    return newRaw == null || newRaw.equals("/dev/null") ? fallback : newRaw;
  }

  private static String name(String field) {
    String n = field;
    int tab = n.indexOf('\t');
    if (tab >= 0) {
      n = n.substring(0, tab);
    }
    n = n.strip();
    if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
      n = n.substring(1, n.length() - 1);
    }
    return n;
  }
}
