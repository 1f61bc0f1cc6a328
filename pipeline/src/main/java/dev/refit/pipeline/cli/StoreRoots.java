package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a store root for maintenance commands, which must never create an empty store. */
final class StoreRoots {
  private StoreRoots() {}

  static Path existing(Path explicit) {
    Path root = CacheDir.registryRoot(explicit, System.getenv());
    if (!Files.isDirectory(root)) {
      throw new RefitException("no registry store at " + root,
          "pass --root DIR pointing at a store written by 'refit registry serve'", ExitCode.FAILED);
    }
    return root;
  }
}
