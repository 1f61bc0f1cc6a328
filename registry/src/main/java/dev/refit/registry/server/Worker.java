package dev.refit.registry.server;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Runs blocking store calls on the registry's named worker pool, never on an event loop.
 * Thread-safe; results complete on the calling context.
 *
 * <p>Unordered ({@code ordered=false}) because the default would serialise every blocking call
 * made from the one server context, so one slow blob commit would stall all other requests.
 */
final class Worker {
  static final String POOL_NAME = "refit-registry-io";

  private final WorkerExecutor executor;

  Worker(WorkerExecutor executor) {
    this.executor = executor;
  }

  <T> Future<T> run(Callable<T> task) {
    return executor.executeBlocking(task, false);
  }

  Future<Void> close() {
    return executor.close();
  }
}
