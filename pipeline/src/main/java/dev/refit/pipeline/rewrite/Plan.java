package dev.refit.pipeline.rewrite;

import java.util.ArrayList;
import java.util.List;

/** The edits a format rewriter wants to make and the changes they mean. Not thread-safe. */
final class Plan {

  private final List<Edit> edits = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();

  /** Adds an edit; the same range twice (a YAML alias of an already edited anchor) is edited once. */
  void add(Edit edit, Change change) {
    for (Edit e : edits) {
      if (e.start() == edit.start() && e.end() == edit.end() && e.start() != e.end()) {
        return;
      }
    }
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
