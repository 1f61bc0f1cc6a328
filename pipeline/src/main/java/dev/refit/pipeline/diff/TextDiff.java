package dev.refit.pipeline.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Unified diffs of text files (GNU diffutils' format, 3 lines of context, "\ No newline at end of
 * file" where a side lacks one) that {@code patch -p1} applies; the edit script comes from
 * java-diff-utils. Stateless.
 */
final class TextDiff {
  /** Larger files are not diffed as text. */
  static final long MAX_TEXT = 1024 * 1024;
  private static final int CONTEXT = 3;

  private TextDiff() {}

  /** The text of {@code bytes} when they are valid UTF-8 with no NUL, at most {@link #MAX_TEXT}; else null. */
  static String text(byte[] bytes) {
    if (bytes.length > MAX_TEXT) {
      return null;
    }
    for (byte x : bytes) {
      if (x == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The unified diff turning {@code a} into {@code b} at {@code path} (normalised, relative),
   * with {@code /dev/null} for a missing side; null when a present side is not text or nothing
   * changes (an empty file added or removed has no hunk).
   */
  static String unified(String path, String a, String b) {
    if (a == null && b == null) {
      return null;
    }
    List<String> la = lines(a);
    List<String> lb = lines(b);
    List<Op> ops = ops(la, lb);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(a == null ? "/dev/null" : "a/" + path).append('\n');
    out.append("+++ ").append(b == null ? "/dev/null" : "b/" + path).append('\n');
    boolean any = false;
    int i = 0;
    while (i < ops.size()) {
      if (ops.get(i).kind == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // Extend while the next change is within two contexts' reach.
      for (int j = i; j < ops.size(); j++) {
        if (ops.get(j).kind != ' ') {
          end = j;
        } else if (j - end > 2 * CONTEXT) {
          break;
        }
      }
      int stop = Math.min(ops.size(), end + 1 + CONTEXT);
      hunk(out, ops.subList(start, stop), la, lb);
      any = true;
      i = stop;
    }
    return any ? out.toString() : null;
  }

  /** One line of the edit script: ' ' both, '-' only a, '+' only b, with each side's index. */
  private record Op(char kind, int ia, int ib) {}

  private static List<Op> ops(List<String> la, List<String> lb) {
    List<AbstractDelta<String>> deltas = new ArrayList<>(DiffUtils.diff(la, lb).getDeltas());
    deltas.sort(Comparator.comparingInt(d -> d.getSource().getPosition()));
    List<Op> ops = new ArrayList<>();
    int ia = 0;
    int ib = 0;
    for (AbstractDelta<String> d : deltas) {
      while (ia < d.getSource().getPosition()) {
        ops.add(new Op(' ', ia++, ib++));
      }
      for (int k = 0; k < d.getSource().size(); k++) {
        ops.add(new Op('-', ia++, ib));
      }
      for (int k = 0; k < d.getTarget().size(); k++) {
        ops.add(new Op('+', ia, ib++));
      }
    }
    while (ia < la.size()) {
      ops.add(new Op(' ', ia++, ib++));
    }
    return ops;
  }

  private static void hunk(StringBuilder out, List<Op> ops, List<String> la, List<String> lb) {
    int countA = (int) ops.stream().filter(o -> o.kind != '+').count();
    int countB = (int) ops.stream().filter(o -> o.kind != '-').count();
    int firstA = ops.get(0).ia;
    int firstB = ops.get(0).ib;
    out.append("@@ -").append(countA == 0 ? firstA : firstA + 1).append(',').append(countA)
        .append(" +").append(countB == 0 ? firstB : firstB + 1).append(',').append(countB)
        .append(" @@\n");
    for (Op o : ops) {
      String line = o.kind == '+' ? lb.get(o.ib) : la.get(o.ia);
      out.append(o.kind);
      if (line.endsWith("\n")) {
        out.append(line);
      } else {
        out.append(line).append("\n\\ No newline at end of file\n");
      }
    }
  }

  /** Lines with their terminators, so a last line without one differs from one with it. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    int from = 0;
    for (int nl; (nl = text.indexOf('\n', from)) >= 0; from = nl + 1) {
      out.add(text.substring(from, nl + 1));
    }
    if (from < text.length()) {
      out.add(text.substring(from));
    }
    return out;
  }
}
