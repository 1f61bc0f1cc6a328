package dev.refit.patches.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file as lines, byte-preserving (ISO-8859-1 characters stand for bytes; a CR before the
 * newline stays part of the line). Mutable; confined to one thread.
 */
final class TextContent {

  final List<String> lines;
  boolean finalEol;

  private TextContent(List<String> lines, boolean finalEol) {
    this.lines = lines;
    this.finalEol = finalEol;
  }

  static TextContent empty() {
    return new TextContent(new ArrayList<>(), true);
  }

  static TextContent of(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (from < s.length()) {
      int nl = s.indexOf('\n', from);
      if (nl < 0) {
        lines.add(s.substring(from));
        return new TextContent(lines, false);
      }
      lines.add(s.substring(from, nl));
      from = nl + 1;
    }
    return new TextContent(lines, true);
  }

  byte[] toBytes() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      b.append(lines.get(i));
      if (i < lines.size() - 1 || finalEol) {
        b.append('\n');
      }
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Whether most lines end in CR, i.e. the file uses CRLF line ends. */
  boolean isCrlf() {
    int cr = 0;
    for (String l : lines) {
      if (l.endsWith("\r")) {
        cr++;
      }
    }
    return !lines.isEmpty() && cr * 2 > lines.size();
  }
}
