package dev.refit.registry.server;

import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Something else the registry server serves beside the registry API: every request whose path is
 * {@link #prefix()} or lies under it goes to the mount's handler, after the same authentication
 * as the API and instead of the API's routes. Used by the pipeline's web view ({@code /ui/}).
 */
public interface Mount {
  /** A path without a trailing slash, such as {@code /ui}; must not overlap {@code /v2}. */
  String prefix();

  /**
   * Called once, on a worker thread, when the server has opened its store. The handler runs on
   * the server's event loop and must answer every request it is given.
   */
  Handler<HttpServerRequest> open(Vertx vertx, FsStore store);

  /** Releases what {@link #open} started; called when the server stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Whether a decoded request path belongs to this mount. */
  default boolean covers(String path) {
    return path.equals(prefix()) || path.startsWith(prefix() + "/");
  }
}
