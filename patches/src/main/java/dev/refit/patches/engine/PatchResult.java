package dev.refit.patches.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What must change in one image: changed files (sorted by path) and deleted paths (sorted), the
 * latter to become whiteouts. Immutable and thread-safe.
 */
public record PatchResult(List<ChangedFile> changed, List<String> deleted) {

  public PatchResult {
    List<ChangedFile> c = new ArrayList<>(changed);
    c.sort(Comparator.comparing(ChangedFile::path));
    changed = List.copyOf(c);
    deleted = List.copyOf(new TreeSet<>(deleted));
  }

  /** No change at all. */
  public static PatchResult empty() {
    return new PatchResult(List.of(), List.of());
  }

  /** Whether nothing changes. */
  public boolean isEmpty() {
    return changed.isEmpty() && deleted.isEmpty();
  }

  /**
   * This result followed by {@code later}: a later change or deletion of a path replaces an
   * earlier one.
   */
  public PatchResult merge(PatchResult later) {
    TreeMap<String, ChangedFile> files = new TreeMap<>();
    TreeSet<String> gone = new TreeSet<>(deleted);
    changed.forEach(f -> files.put(f.path(), f));
    for (String d : later.deleted) {
      files.remove(d);
      gone.add(d);
    }
    for (ChangedFile f : later.changed) {
      gone.remove(f.path());
      files.put(f.path(), f);
    }
    return new PatchResult(new ArrayList<>(files.values()), new ArrayList<>(gone));
  }
}
