package dev.refit.pipeline.ui;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files (HTML, CSS, JS), read once from the classpath. Only the names listed here are
 * served, so no request path ever reaches a file. Immutable after {@link #load}; thread-safe.
 */
final class UiAssets {
  private static final String DIR = "/dev/refit/pipeline/ui/web/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  record Asset(String contentType, Buffer bytes) {}

  private final Map<String, Asset> assets;

  private UiAssets(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /** Reads every asset from the classpath. Blocking. */
  static UiAssets load() {
    Map<String, Asset> loaded = new java.util.HashMap<>();
    TYPES.forEach((name, type) -> {
      try (InputStream in = UiAssets.class.getResourceAsStream(DIR + name)) {
        if (in == null) {
          throw new IllegalStateException("the web view's " + name + " is missing from the jar");
        }
        loaded.put(name, new Asset(type, Buffer.buffer(in.readAllBytes())));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the web view's " + name, e);
      }
    });
    return new UiAssets(loaded);
  }

  Optional<Asset> get(String name) {
    return Optional.ofNullable(assets.get(name));
  }
}
