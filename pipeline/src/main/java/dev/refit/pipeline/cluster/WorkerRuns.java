package dev.refit.pipeline.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The coordinators' runs a cluster worker has set up, by run id: a run is set up at its first
 * job, released when its coordinator announces the end, and every run is released when the
 * worker stops. Thread-safe; event-loop safe (only composes Futures).
 *
 * @param <R> what the worker sets up for one run
 */
public final class WorkerRuns<R> {
  private final Map<String, Future<R>> runs = new ConcurrentHashMap<>();
  private final Function<R, Future<Void>> release;
  private MessageConsumer<String> ended;

  private WorkerRuns(Function<R, Future<Void>> release) {
    this.release = release;
  }

  /** Listens at {@code endedAddress}, where coordinators publish the id of a run that ended. */
  public static <R> Future<WorkerRuns<R>> listen(Vertx vertx, String endedAddress,
      Function<R, Future<Void>> release) {
    WorkerRuns<R> runs = new WorkerRuns<>(release);
    runs.ended = vertx.eventBus().consumer(endedAddress, m -> runs.end(m.body()));
    return runs.ended.completion().map(v -> runs);
  }

  /** The run's set-up, made by {@code open} at its first job; a failed one is tried again by the next job. */
  public Future<R> get(String run, Supplier<Future<R>> open) {
    return runs.computeIfAbsent(run, id -> open.get()).onFailure(e -> runs.remove(run));
  }

  private void end(String run) {
    Future<R> ending = runs.remove(run);
    if (ending != null) {
      ending.onSuccess(release::apply);
    }
  }

  /** Stops listening and releases every run. */
  public Future<Void> close() {
    List<Future<R>> open = List.copyOf(runs.values());
    runs.clear();
    return ended.unregister()
        .transform(v -> Future.join(open.stream().map(f -> f.compose(release)).toList()))
        .mapEmpty();
  }
}
