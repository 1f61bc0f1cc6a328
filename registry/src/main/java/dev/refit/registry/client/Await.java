package dev.refit.registry.client;

import dev.refit.error.Causes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way blocking code waits for a {@link RegistryClient} call: from a Vert.x worker pool or
 * a plain thread, never from an event loop (it would wait for itself, so it refuses). Stateless;
 * blocking.
 */
public final class Await {
  private Await() {}

  /**
   * The call's result, or a {@link RegistryClientException} whose message starts with
   * {@code what} and names the cause.
   *
   * @param what what was being done, e.g. "reading the manifest of nova-api:latest"
   */
  public static <T> T result(Future<T> call, Duration timeout, String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("blocking wait on an event loop thread for: " + what
          + "; run the caller on a worker pool");
    }
    try {
      return call.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RegistryClientException(what + ": " + Causes.describe(cause), cause);
    } catch (TimeoutException e) {
      throw new RegistryClientException(what + ": no answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryClientException(what + ": interrupted", e);
    }
  }
}
