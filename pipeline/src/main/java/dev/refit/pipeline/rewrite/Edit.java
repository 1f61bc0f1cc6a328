package dev.refit.pipeline.rewrite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A replacement of the characters {@code [start, end)} of a file's text ({@code start == end} is
 * an insertion). Everything outside the edited ranges stays byte for byte. Immutable; thread-safe.
 */
record Edit(int start, int end, String text) {

  Edit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad edit range " + start + ".." + end);
    }
  }

  /** Applies non-overlapping edits; insertions at the same point keep their given order. */
  static String apply(String original, List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
    StringBuilder out = new StringBuilder(original.length() + 256);
    int pos = 0;
    for (Edit e : sorted) {
      if (e.start < pos) {
        throw new IllegalStateException("overlapping edits at character " + e.start);
      }
      out.append(original, pos, e.start).append(e.text);
      pos = e.end;
    }
    return out.append(original, pos, original.length()).toString();
  }
}
