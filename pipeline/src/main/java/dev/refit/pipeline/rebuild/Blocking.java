package dev.refit.pipeline.rebuild;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for a Vert.x future on the calling thread. Blocking: only for rebuilders, which already
 * run on a worker pool; never call it on an event loop (it would wait for itself).
 */
final class Blocking {

  private Blocking() {}

  static <T> T await(Supplier<Future<T>> call, Duration timeout, String what) {
    try {
      return call.get().toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RebuildException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RebuildException(what + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new RebuildException(what + ": no answer within " + timeout, e);
    }
  }
}
