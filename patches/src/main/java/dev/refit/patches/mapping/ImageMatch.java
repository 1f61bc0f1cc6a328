package dev.refit.patches.mapping;

import java.util.List;

/**
 * The images a project maps to, and those an override removed. Immutable and thread-safe.
 *
 * @param images matched or added images, sorted
 * @param removed images that matched but the override table removes, sorted
 * @param added images added by the override table (also in {@code images})
 */
public record ImageMatch(String project, List<String> images, List<String> removed,
    List<String> added) {
  public ImageMatch {
    images = List.copyOf(images);
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }
}
