package dev.refit.patches.engine;

import dev.refit.error.Causes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.patch.FormatError;
import org.eclipse.jgit.patch.Patch;

/**
 * Runs JGit's patch parser and works around its one gap: in a traditional diff whose file
 * sections are not separated by {@code diff} lines (quilt and hand-made patches), JGit reads
 * the next section's {@code ---} line as a removed line and reports a body/header count
 * mismatch. Only then is the text cut before each {@code ---}/{@code +++}/{@code @@} triple
 * and each piece parsed on its own. Stateless and thread-safe.
 */
final class JgitSections {

  private static final String COUNT_MISMATCH = "does not match body line count";

  private JgitSections() {}

  /** The file sections of {@code text}, in order. */
  static List<FileHeader> parse(byte[] text, String source) {
    Patch whole = run(text, source);
    boolean mismatch = whole.getErrors().stream()
        .anyMatch(e -> String.valueOf(e.getMessage()).contains(COUNT_MISMATCH));
    if (!mismatch) {
      return new ArrayList<>(whole.getFiles());
    }
    List<FileHeader> out = new ArrayList<>();
    for (byte[] piece : split(text)) {
      out.addAll(run(piece, source).getFiles());
    }
    return out;
  }

  private static Patch run(byte[] text, String source) {
    Patch patch = new Patch();
    try {
      patch.parse(text, 0, text.length);
    } catch (RuntimeException e) {
      throw new PatchException("cannot parse patch " + source + ": " + Causes.describe(e), e);
    }
    for (FormatError err : patch.getErrors()) {
      if (err.getSeverity() == FormatError.Severity.ERROR) {
        throw new PatchException("malformed patch " + source + " at byte " + err.getOffset()
            + ": " + err.getMessage() + " (line: " + String.valueOf(err.getLineText()).strip()
            + ")");
      }
    }
    return patch;
  }

  /** Cuts before every "--- X" line followed by "+++ Y" and "@@ -", plus quilt's Index lines. */
  private static List<byte[]> split(byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    List<Integer> lineStarts = new ArrayList<>();
    for (int i = 0; i < s.length(); i = s.indexOf('\n', i) + 1) {
      lineStarts.add(i);
      if (s.indexOf('\n', i) < 0) {
        break;
      }
    }
    List<Integer> cuts = new ArrayList<>();
    for (int n = 1; n + 2 < lineStarts.size(); n++) {
      if (s.startsWith("--- ", lineStarts.get(n)) && s.startsWith("+++ ", lineStarts.get(n + 1))
          && s.startsWith("@@ -", lineStarts.get(n + 2))) {
        int k = n;
        while (k > 0 && (s.startsWith("Index: ", lineStarts.get(k - 1))
            || s.startsWith("====", lineStarts.get(k - 1)))) {
          k--;
        }
        if (k > 0) {
          cuts.add(lineStarts.get(k));
        }
      }
    }
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      if (cut > from) {
        pieces.add(Arrays.copyOfRange(text, from, cut));
        from = cut;
      }
    }
    pieces.add(Arrays.copyOfRange(text, from, text.length));
    return pieces;
  }
}
