package dev.refit.pipeline.rewrite;

import java.util.ArrayList;
import java.util.List;

/** The edits a format rewriter wants to make and the changes they mean. Not thread-safe. */
final class Plan {

  private final List<Edit> edits = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();

  void add(Edit edit, Change change) {
    edits.add(edit);
    changes.add(change);
  }

  List<Edit> edits() {
    return edits;
  }

  List<Change> changes() {
    return changes;
  }
}
