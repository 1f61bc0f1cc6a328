package dev.refit.pipeline.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Gives a command's body a Vert.x of its own, closed however the body ends. Blocking; main thread. */
final class CommandVertx {
  private CommandVertx() {}

  interface Body<T> {
    T run(Vertx vertx) throws Exception;
  }

  static <T> T run(Body<T> body) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return body.run(vertx);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
