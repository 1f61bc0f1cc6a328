package dev.refit.patches.engine;

import dev.refit.patches.fs.FileSource;
import java.nio.file.Path;

/** Placeholder. */
public final class TreeDelta {
  private TreeDelta() {}

  public static PatchResult compute(FileSource tree, FileSource base, String targetDir,
      boolean deleteMissing, Path workDir) {
    throw new UnsupportedOperationException("not yet");
  }
}
