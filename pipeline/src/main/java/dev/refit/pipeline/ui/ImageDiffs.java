package dev.refit.pipeline.ui;

import dev.refit.error.RefitException;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.pipeline.diff.DiffJson;
import dev.refit.pipeline.diff.DiffOptions;
import dev.refit.pipeline.diff.StoreDiffs;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diff of an image against its upstream base, as the web view shows it: {@code refit diff}'s
 * engine ({@link StoreDiffs}) over the served store, its refit.diff/v1 JSON kept for the last few
 * pairs of digests (an image's digest never changes what it holds). Layer indexes are shared with
 * the cache directory; extracted contents live in a scratch directory removed by {@link #close}.
 * Blocking; thread-safe.
 */
final class ImageDiffs implements AutoCloseable {
  private static final int KEPT = 16;

  private final FsStore store;
  private final StoreBrowser browser;
  private final Path scratch;
  private final LayerCache layers;
  private final Map<String, JsonObject> recent = new LinkedHashMap<>(KEPT, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > KEPT;
    }
  };

  private ImageDiffs(FsStore store, StoreBrowser browser, Path scratch, Path cacheDir) {
    this.store = store;
    this.browser = browser;
    this.scratch = scratch;
    this.layers = new LayerCache(scratch, LayerIndexes.in(cacheDir));
  }

  /** Diffs over {@code store}, with layer indexes under {@code cacheDir}. Blocking. */
  static ImageDiffs open(FsStore store, StoreBrowser browser, Path cacheDir) {
    try {
      return new ImageDiffs(store, browser, Files.createTempDirectory("refit-ui-"), cacheDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the web view's scratch directory", e);
    }
  }

  /** {@code repo:reference} against the base its provenance labels name, as refit.diff/v1. */
  JsonObject againstBase(String repo, String reference) {
    JsonObject base = browser.base(repo, reference);
    String key = base.getString("digest") + " " + base.getString("digestB");
    synchronized (recent) {
      JsonObject known = recent.get(key);
      if (known != null) {
        return known;
      }
    }
    JsonObject diff;
    try {
      diff = new JsonObject(DiffJson.toJson(StoreDiffs.diff(store, layers,
          base.getString("repository"), base.getString("digest"), repo, base.getString("digestB"),
          DiffOptions.defaults())).toString());
    } catch (RefitException e) {
      throw new UiException(500, ReportView.redact(e.getMessage()).toString());
    }
    synchronized (recent) {
      recent.put(key, diff);
    }
    return diff;
  }

  @Override
  public void close() {
    try {
      FileTrees.delete(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the web view's scratch directory", e);
    }
  }
}
