package dev.refit.patches.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the hunks of one file section to a text: each hunk's old lines must match exactly at
 * the stated line or, failing that, at the nearest offset (as {@code patch} does); with fuzz N,
 * up to N context lines at each hunk edge may be ignored. Line ends are compared as written, and
 * only when that fails with CRs ignored (a CRLF-converted patch over LF files or the reverse),
 * added lines then taking the file's line end. Stateless and thread-safe.
 */
final class HunkApplier {

  private static final int MAX_REPORTED_LINES = 12;

  private final int fuzz;

  HunkApplier(int fuzz) {
    this.fuzz = fuzz;
  }

  /**
   * Applies {@code hunks} to {@code text} in place.
   *
   * @throws PatchConflictException naming the first hunk that does not match
   */
  void apply(TextContent text, List<Hunk> hunks, String image, String file) {
    int delta = 0;
    int minPos = 0;
    for (Hunk hunk : hunks) {
      if (hunk.oldLines().size() != hunk.oldCount()) {
        throw new PatchException("patch hunk " + hunk.label() + " of " + file + " is corrupt: it"
            + " announces " + hunk.oldCount() + " old lines but has " + hunk.oldLines().size());
      }
      Placement p = place(text, hunk, delta, minPos);
      if (p == null) {
        throw conflict(text, hunk, delta, image, file);
      }
      List<String> replacement = p.hunk.newLines();
      if (p.crMode != 0) {
        replacement = adaptEol(replacement, p.crMode > 0);
      }
      int oldSize = p.hunk.oldLines().size();
      boolean atEnd = p.pos + oldSize == text.lines.size();
      List<String> region = text.lines.subList(p.pos, p.pos + oldSize);
      region.clear();
      region.addAll(replacement);
      if (atEnd && (p.hunk.newNoEol() || p.hunk.oldNoEol())) {
        text.finalEol = !p.hunk.newNoEol();
      }
      delta = p.pos + replacement.size() - (expectedPos(p.hunk) + oldSize);
      minPos = p.pos + replacement.size();
    }
  }

  /** Where the hunk sits in the text, the (possibly fuzz-trimmed) hunk, and the CR mode used. */
  private record Placement(int pos, Hunk hunk, int crMode) {}

  private Placement place(TextContent text, Hunk hunk, int delta, int minPos) {
    for (int f = 0; f <= fuzz; f++) {
      int front = Math.min(f, hunk.leadingContext());
      int back = Math.min(f, hunk.trailingContext());
      if (f > 0 && front == 0 && back == 0) {
        break;
      }
      Hunk h = f == 0 ? hunk : hunk.trimContext(front, back);
      int pos = search(text.lines, h.oldLines(), expectedPos(h) + delta, minPos, false);
      if (pos >= 0) {
        return new Placement(pos, h, 0);
      }
      int crMode = crModeFor(text, h);
      if (crMode != 0) {
        pos = search(text.lines, h.oldLines(), expectedPos(h) + delta, minPos, true);
        if (pos >= 0) {
          return new Placement(pos, h, crMode);
        }
      }
    }
    return null;
  }

  /** +1: the file has CRs the patch lacks; -1: the patch has CRs the file lacks; 0: neither. */
  private static int crModeFor(TextContent text, Hunk hunk) {
    boolean fileCr = text.isCrlf();
    int cr = 0;
    for (Hunk.Line l : hunk.lines()) {
      if (l.text().endsWith("\r")) {
        cr++;
      }
    }
    boolean patchCr = !hunk.lines().isEmpty() && cr * 2 > hunk.lines().size();
    if (fileCr == patchCr) {
      return 0;
    }
    return fileCr ? 1 : -1;
  }

  private static int expectedPos(Hunk h) {
    return h.oldCount() == 0 ? h.oldStart() : Math.max(0, h.oldStart() - 1);
  }

  /** Nearest position at or after {@code minPos} where {@code old} matches, or -1. */
  private static int search(List<String> lines, List<String> old, int guess, int minPos,
      boolean ignoreCr) {
    int max = lines.size() - old.size();
    if (max < minPos) {
      return -1;
    }
    int start = Math.max(minPos, Math.min(guess, max));
    for (int d = 0; start - d >= minPos || start + d <= max; d++) {
      if (start - d >= minPos && matches(lines, old, start - d, ignoreCr)) {
        return start - d;
      }
      if (d > 0 && start + d <= max && matches(lines, old, start + d, ignoreCr)) {
        return start + d;
      }
    }
    return -1;
  }

  private static boolean matches(List<String> lines, List<String> old, int pos,
      boolean ignoreCr) {
    for (int i = 0; i < old.size(); i++) {
      String a = lines.get(pos + i);
      String b = old.get(i);
      if (ignoreCr ? !stripCr(a).equals(stripCr(b)) : !a.equals(b)) {
        return false;
      }
    }
    return true;
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> adaptEol(List<String> lines, boolean addCr) {
    List<String> out = new ArrayList<>(lines.size());
    for (String l : lines) {
      String base = stripCr(l);
      out.add(addCr ? base + "\r" : base);
    }
    return out;
  }

  /** Expected vs found at the position the hunk names (shifted by earlier hunks). */
  private static PatchConflictException conflict(TextContent text, Hunk hunk, int delta,
      String image, String file) {
    List<String> old = hunk.oldLines();
    int pos = Math.max(0, expectedPos(hunk) + delta);
    List<String> report = new ArrayList<>();
    for (int i = 0; i < old.size() && report.size() < MAX_REPORTED_LINES; i++) {
      int lineNo = pos + i;
      String found = lineNo < text.lines.size() ? text.lines.get(lineNo) : null;
      if (!old.get(i).equals(found)) {
        report.add("line " + (lineNo + 1) + ": expected \"" + show(old.get(i)) + "\", found "
            + (found == null ? "end of file" : "\"" + show(found) + "\""));
      }
    }
    if (report.isEmpty()) {
      report.add("the lines match only at a position that overlaps an earlier hunk");
    }
    return new PatchConflictException(image, file, hunk.label(), report);
  }

  private static String show(String latin1) {
    String s = new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return s.replace("\r", "\\r").replace("\t", "\\t");
  }
}
