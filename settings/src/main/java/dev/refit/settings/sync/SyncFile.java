package dev.refit.settings.sync;

import java.nio.file.Path;
import java.util.List;

/**
 * A skopeo-sync YAML file as {@code refit mirror} reads it: one entry per source registry, in
 * file order. Immutable.
 *
 * @param file where it was read from
 * @param registries the top-level keys, each a registry host (optionally with a path prefix)
 */
public record SyncFile(Path file, List<SyncRegistry> registries) {

  public SyncFile {
    registries = List.copyOf(registries);
  }
}
