package dev.refit.patches.image;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for registry client calls from blocking code. Each call is started on a Vert.x context,
 * not on the calling worker thread: started from a plain thread, a small response can complete
 * before the client attaches its body handler. Blocking; never call on an event loop.
 */
public final class ClientCalls {
  private ClientCalls() {}

  /**
   * Runs {@code call} on a Vert.x context and waits for its result.
   *
   * @param what completes "could not ..." in the error message, e.g. "read the manifest of x"
   * @throws ImageReadException on failure, timeout or interruption
   */
  public static <T> T await(Vertx vertx, Supplier<Future<T>> call, Duration timeout, String what) {
    Promise<T> promise = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        call.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    try {
      return promise.future().toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new ImageReadException("could not " + what + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException("interrupted while trying to " + what, e);
    } catch (TimeoutException e) {
      throw new ImageReadException("timed out after " + timeout.toSeconds() + " s trying to " + what, e);
    }
  }
}
