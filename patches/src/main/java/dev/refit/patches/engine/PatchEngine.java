package dev.refit.patches.engine;

import dev.refit.patches.fs.FileSource;
import java.nio.file.Path;

/** Placeholder. */
public final class PatchEngine {
  private final PatchOptions options;

  public PatchEngine(PatchOptions options) {
    this.options = options;
  }

  public PatchResult apply(ParsedPatch patch, FileSource base, String targetDir, Path workDir,
      String imageName) {
    throw new UnsupportedOperationException("not yet " + options);
  }
}
