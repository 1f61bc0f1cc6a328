package dev.refit.pipeline.progress;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;

/**
 * Writes each event as one line of JSON, flushed at once so a reader of a pipe sees it as it
 * happens. Not thread-safe (see {@link ProgressRenderer}).
 */
public final class JsonLinesRenderer implements ProgressRenderer {
  private final PrintWriter out;

  public JsonLinesRenderer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void render(JsonObject event) {
    out.println(event.encode());
    out.flush();
  }

  @Override
  public void close() {
    out.flush();
  }
}
