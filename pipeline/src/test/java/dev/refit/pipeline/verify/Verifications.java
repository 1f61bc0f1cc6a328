package dev.refit.pipeline.verify;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.pipeline.diff.StoreRef;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test kit: verifies an image in a cache's embedded store, as {@code refit verify} does. Blocking. */
public final class Verifications {
  private Verifications() {}

  /** {@code image} ({@code repo:tag}) in {@code <cache>/registry}, scratch files under {@code tmp}. */
  public static VerifyReport verify(Path cache, String image, Path tmp) throws IOException {
    Path scratch = Files.createTempDirectory(tmp, "verify-");
    FsStore store = FsStore.open(cache.resolve("registry"), StoreOptions.defaults());
    return new Verifier(store, cache, new LayerCache(scratch.resolve("layers"),
        LayerIndexes.in(cache)), scratch.resolve("work")).verify(StoreRef.parse(image));
  }
}
