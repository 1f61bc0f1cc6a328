package dev.refit.patches.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One hunk of a file change, taken from the parser's hunk model: the {@code @@} header, where it
 * starts in the old file, and its lines. Line text is the raw bytes as ISO-8859-1 characters
 * (byte-preserving, any trailing CR kept). Immutable and thread-safe.
 *
 * @param index 1-based position of the hunk within its file
 * @param header the {@code @@ -a,b +c,d @@} line
 * @param oldStart first old line (1-based; for an empty old range, the line after which to insert)
 * @param oldCount number of old lines the hunk covers
 * @param lines the body lines in order
 * @param oldNoEol whether the old image's last line has no newline ({@code \ No newline})
 * @param newNoEol whether the new image's last line has no newline
 */
public record Hunk(int index, String header, int oldStart, int oldCount, List<Line> lines,
    boolean oldNoEol, boolean newNoEol) {

  /** One body line: {@code op} is ' ' (context), '-' (removed) or '+' (added). */
  public record Line(char op, String text) {}

  public Hunk {
    lines = List.copyOf(lines);
  }

  /** Context and removed lines: what the old file must contain. */
  public List<String> oldLines() {
    List<String> out = new ArrayList<>();
    for (Line l : lines) {
      if (l.op() != '+') {
        out.add(l.text());
      }
    }
    return out;
  }

  /** Context and added lines: what replaces the old lines. */
  public List<String> newLines() {
    List<String> out = new ArrayList<>();
    for (Line l : lines) {
      if (l.op() != '-') {
        out.add(l.text());
      }
    }
    return out;
  }

  /** Leading context lines before the first change. */
  public int leadingContext() {
    int n = 0;
    while (n < lines.size() && lines.get(n).op() == ' ') {
      n++;
    }
    return n;
  }

  /** Trailing context lines after the last change. */
  public int trailingContext() {
    int n = 0;
    while (n < lines.size() && lines.get(lines.size() - 1 - n).op() == ' ') {
      n++;
    }
    return n;
  }

  /** This hunk without {@code front} leading and {@code back} trailing context lines (fuzz). */
  public Hunk trimContext(int front, int back) {
    List<Line> body = lines.subList(front, lines.size() - back);
    return new Hunk(index, header, oldStart + front, oldCount - front - back, body,
        back == 0 && oldNoEol, back == 0 && newNoEol);
  }

  /** "#index @@ ... @@", as conflict messages show it. */
  public String label() {
    return "#" + index + " " + header;
  }
}
