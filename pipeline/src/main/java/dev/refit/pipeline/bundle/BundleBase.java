package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the index of the bundle a differential one builds on ({@code --since}): the small
 * {@code .index.json}, or the {@code refit-bundle.json} entry of the bundle itself, found by
 * skipping every other entry without reading it. Blocking.
 */
final class BundleBase {
  private BundleBase() {}

  static BundleIndex read(Path since) {
    if (!Files.isRegularFile(since)) {
      throw new RefitException("--since " + since + ": no such file",
          "give the earlier bundle or its .index.json", ExitCode.USAGE);
    }
    try {
      if (since.getFileName().toString().endsWith(".json")) {
        return BundleIndex.parse(Files.readAllBytes(since), since.toString());
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(since)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          if (entry.getName().equals(BundleFormat.BUNDLE_INDEX) && entry.getSize() <= BundleFormat.MAX_MANIFEST_BYTES) {
            return BundleIndex.parse(tar.readNBytes((int) entry.getSize()), since + ":" + BundleFormat.BUNDLE_INDEX);
          }
        }
      }
    } catch (IOException e) {
      throw new RefitException("--since " + since + " cannot be read: " + e.getMessage(),
          "give the earlier bundle or its .index.json", ExitCode.USAGE);
    }
    throw new RefitException("--since " + since + " has no " + BundleFormat.BUNDLE_INDEX
        + ": it is not a refit bundle, or it is truncated", "give the earlier bundle or its .index.json",
        ExitCode.USAGE);
  }
}
