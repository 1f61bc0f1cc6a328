package dev.refit.patches.engine;

import java.util.List;

/**
 * A hunk whose context or removed lines are not found in the file it targets. Names the image,
 * the file, the hunk and the lines that did not match. Immutable.
 */
public final class PatchConflictException extends PatchException {

  private final String image;
  private final String file;
  private final String hunk;
  private final List<String> lines;

  /**
   * @param image the image being patched
   * @param file the path inside the image
   * @param hunk the hunk, as {@code "#<index> @@ -a,b +c,d @@"}
   * @param lines description of the mismatch: expected vs found lines
   */
  public PatchConflictException(String image, String file, String hunk, List<String> lines) {
    super("patch does not apply to image " + image + ": file " + file + ", hunk " + hunk
        + " does not match:\n  " + String.join("\n  ", lines)
        + "\nrebase the patch onto the image's content, or use a lenient fuzz setting");
    this.image = image;
    this.file = file;
    this.hunk = hunk;
    this.lines = List.copyOf(lines);
  }

  public String image() {
    return image;
  }

  public String file() {
    return file;
  }

  public String hunk() {
    return hunk;
  }

  public List<String> lines() {
    return lines;
  }
}
