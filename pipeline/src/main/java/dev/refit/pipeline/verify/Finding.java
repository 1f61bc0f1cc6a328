package dev.refit.pipeline.verify;

import java.util.Locale;

/**
 * One difference between an {@code :apex} image and its base that its provenance does not
 * explain, as {@code refit verify} reports it. Immutable.
 *
 * @param subject what it is about: a path ({@code /etc/x}), a patch id, or a config field
 * @param detail what differs, in a sentence
 */
public record Finding(Kind kind, String subject, String detail) {

  /** What kind of difference it is. */
  public enum Kind {
    /** The image adds a path that no patch writes. */
    EXTRA,
    /** The image changes a path (content, type, mode or owner) that no patch touches. */
    CHANGED,
    /** The image removes a path that no patch deletes. */
    REMOVED,
    /** A path a patch writes, but not as the re-applied patch does. */
    DIFFERS,
    /** A path a patch writes or deletes, left as in the base. */
    MISSING,
    /** A patch that cannot be re-applied: bytes changed or gone, or it no longer applies. */
    PATCH,
    /** A config field that no refit label accounts for. */
    CONFIG;

    /** The JSON and table spelling: the name in lower case. */
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
