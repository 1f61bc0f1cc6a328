package dev.refit.pipeline.diff;

import java.util.List;

/**
 * One path whose final state differs between image A and image B. Immutable.
 *
 * @param path absolute in the image, e.g. {@code /etc/nova/nova.conf}
 * @param a the entry in A; null when added
 * @param b the entry in B; null when removed
 * @param differs for {@link Change#CHANGED}, which of {@link #FIELDS} differ; else empty
 * @param unified the unified diff of a text file (headers included), else null
 */
public record PathDiff(String path, Change change, Entry a, Entry b, List<String> differs,
    String unified) {
  /** The fields {@link #differs} may name, in this order. */
  public static final List<String> FIELDS =
      List.of("type", "mode", "uid", "gid", "size", "linkTarget", "content");

  public PathDiff {
    differs = List.copyOf(differs);
  }
}
