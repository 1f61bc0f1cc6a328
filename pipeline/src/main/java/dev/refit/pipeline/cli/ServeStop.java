package dev.refit.pipeline.cli;

import dev.refit.registry.server.RegistryServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * How {@code refit registry serve} stops: SIGTERM or SIGINT wakes the main thread, which stops
 * the server and Vert.x and lets the command exit 0. Thread-safe; {@link #stop} is blocking.
 *
 * <p>Signal handlers rather than a shutdown hook alone, because a JVM stopped by a signal exits
 * 143 whatever its hooks do. The hook stays for every other way down (SIGHUP, or a JVM run with
 * {@code -Xrs}), and waits for the same stop.
 */
final class ServeStop {
  private static final long BOUND_SECONDS = 5;

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);

  private ServeStop() {}

  /** Installs the signal handlers and the shutdown hook. */
  static ServeStop install() {
    ServeStop stop = new ServeStop();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> stop.requested.countDown());
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs); the shutdown hook below handles it instead.
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.requested.countDown();
      try {
        stop.done.await(BOUND_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "refit-shutdown"));
    return stop;
  }

  /** Waits for a signal, then stops {@code server} and {@code vertx}. */
  void awaitAndStop(RegistryServer server, Vertx vertx) throws InterruptedException {
    requested.await();
    try {
      stop(server, vertx);
    } finally {
      done.countDown();
    }
  }

  /**
   * Stops {@code server} (see {@link RegistryServer#stop}), then closes {@code vertx}, waiting
   * at most a few seconds for each. Called from a plain thread: a Future composed on the
   * server's event loop would complete on a loop that {@code vertx.close()} has just ended, and
   * never be seen.
   */
  static void stop(RegistryServer server, Vertx vertx) {
    await(server.stop());
    await(vertx.close());
  }

  private static void await(Future<Void> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Going down anyway: the store's writes are crash-safe, and the OS releases its lock.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
