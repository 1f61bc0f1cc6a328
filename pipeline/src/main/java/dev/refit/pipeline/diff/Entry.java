package dev.refit.pipeline.diff;

/**
 * One side of a path in a diff: what the final filesystem of an image holds there. Immutable.
 *
 * @param type {@code file}, {@code dir}, {@code symlink}, {@code hardlink}, {@code char},
 *     {@code block} or {@code fifo}
 * @param mode all 12 permission bits (setuid, setgid, sticky and rwx), no type bits
 * @param size content size in bytes; 0 for anything but a regular file
 * @param linkTarget the target of a symlink or hardlink, else null
 * @param sha256 {@code sha256:<hex>} of a regular file's content, else null
 */
public record Entry(String type, int mode, long uid, long gid, long size, String linkTarget,
    String sha256) {

  /** The mode as the JSON and the table show it: octal, at least 4 digits ({@code 0644}, {@code 4755}). */
  public String octalMode() {
    return String.format("%04o", mode);
  }
}
