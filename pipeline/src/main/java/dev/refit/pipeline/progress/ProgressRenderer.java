package dev.refit.pipeline.progress;

import io.vertx.core.json.JsonObject;

/**
 * Shows prepare's job events to a user or a program. Not thread-safe: one thread (the CLI's
 * main thread, draining the event queue) calls it, so a slow terminal or pipe never blocks an
 * event loop.
 */
public interface ProgressRenderer extends AutoCloseable {

  /** Shows one event (see {@link JobEvents} for the shapes). */
  void render(JsonObject event);

  /** Finishes the output (final bar states); rendering after close is not allowed. */
  @Override
  void close();
}
