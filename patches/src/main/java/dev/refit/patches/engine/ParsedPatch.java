package dev.refit.patches.engine;

import java.io.InputStream;

/** Placeholder; replaced by the JGit-backed parser. */
public final class ParsedPatch {
  public static ParsedPatch parse(InputStream in, String sourceName, PatchOptions options) {
    throw new UnsupportedOperationException("not yet");
  }
}
