package dev.refit.patches.dockerfile;

import java.util.List;

/**
 * What a Dockerfile style contributes between {@code USER root} and the labels: its instruction
 * lines and the context files they use. Immutable and thread-safe.
 */
record StyleBody(List<String> lines, List<ContextFile> files) {

  StyleBody {
    lines = List.copyOf(lines);
    files = List.copyOf(files);
  }
}
