package dev.refit.pipeline.prepare;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool prepare's blocking stages run on (threads {@code refit-prepare-work-N}),
 * answering with Vert.x Futures so stages still compose. Thread-safe.
 *
 * <p>Why not a Vert.x {@code WorkerExecutor}: {@code RegistryClient} only hops onto its own
 * context when called from a thread without a Vert.x context; called from a Vert.x worker thread
 * it runs in place, and a small response can end before the body handler is attached
 * ({@code IllegalStateException} from {@code HttpClientResponseImpl.checkEnded}). The rebuilders
 * and the image file reader call the client while blocking, so they must run on plain threads.
 */
final class WorkPool implements AutoCloseable {
  private final ExecutorService threads;

  WorkPool(int size) {
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(Math.max(1, size), r -> {
      Thread t = new Thread(r, "refit-prepare-work-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code call} on the pool; the Future completes on the pool thread. */
  <T> Future<T> submit(Callable<T> call) {
    Promise<T> promise = Promise.promise();
    threads.execute(() -> {
      try {
        promise.complete(call.call());
      } catch (Throwable t) {
        promise.fail(t);
      }
    });
    return promise.future();
  }

  @Override
  public void close() {
    threads.shutdown();
  }
}
