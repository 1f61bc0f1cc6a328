package dev.refit.pipeline.rewrite;

import java.nio.file.Path;
import java.util.List;

/**
 * What a rewrite did to one file. {@code written} is false when there was nothing to change (the
 * file and any {@code .bak} were left alone) or for a preview; {@code backup} is the {@code .bak}
 * copy of the original when the file was written, else null. Immutable; thread-safe.
 */
public record RewriteResult(Path file, Format format, List<Change> changes, boolean written, Path backup) {

  public RewriteResult {
    changes = List.copyOf(changes);
  }

  /** True when the content differs from the original (whether or not it was written). */
  public boolean changed() {
    return !changes.isEmpty();
  }

  /** One line for logs and the report: "3 change(s) written" or "no changes; file not written". */
  public String summary() {
    if (changes.isEmpty()) {
      return file + " (" + format + "): no changes; file not written";
    }
    return file + " (" + format + "): " + changes.size() + " change(s) "
        + (written ? "written, original kept as " + backup : "not written (preview)");
  }
}
