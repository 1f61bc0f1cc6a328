package dev.refit.pipeline.diff;

/**
 * The text files of an {@link ImageDiff} as one patch: the unified diff of every added, removed
 * and changed text file, in path order, which {@code patch -p1} applies in an unpacked A to give
 * B's text files. Binary files and files over 1 MiB are not in it. Stateless.
 */
public final class DiffPatch {
  private DiffPatch() {}

  public static String render(ImageDiff diff) {
    StringBuilder out = new StringBuilder();
    for (PathDiff p : diff.paths()) {
      if (p.unified() != null) {
        out.append(p.unified());
      }
    }
    return out.toString();
  }
}
