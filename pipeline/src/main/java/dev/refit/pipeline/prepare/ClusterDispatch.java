package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.progress.JobEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The coordinator's side of a clustered run: fetches each image into the shared registry, then
 * sends its {@link ClusterJob} to the workers' shared intake. A job that gets no result within
 * {@code job_timeout} (its worker died) is sent again, to whichever worker the bus picks; one
 * that finds no worker waits up to the cluster's worker wait. Thread-safe; event-loop only
 * composes Futures.
 */
final class ClusterDispatch {
  /** The address every worker's intake listens on. */
  static final String ADDRESS = "refit.prepare.cluster.jobs";
  /** Where a coordinator announces that a run ended, so workers release what they set up. */
  static final String RUN_ENDED = "refit.prepare.cluster.ended";
  /** How often a job is sent in all, the first time included. */
  static final int ATTEMPTS = 3;
  private static final long NO_WORKER_RETRY_MILLIS = 500;

  private final Vertx vertx;
  private final RunSpec spec;
  private final String version;
  private final Duration jobTimeout;
  private final ClusterOptions cluster;
  private final String run = UUID.randomUUID().toString();

  ClusterDispatch(Vertx vertx, RunSpec spec, String version, Duration jobTimeout,
      ClusterOptions cluster) {
    this.vertx = vertx;
    this.spec = spec;
    this.version = version;
    this.jobTimeout = jobTimeout;
    this.cluster = cluster;
  }

  /** Every image's outcome, in task order; the Future fails only if the bus does. */
  Future<List<ImageOutcome>> dispatch(List<ImageTask> tasks, FetchStage fetch) {
    JobCodec.registerOn(vertx.eventBus());
    List<Future<ImageOutcome>> jobs = tasks.stream().map(t -> one(t, fetch)).toList();
    return Future.join(jobs)
        .transform(done -> Future.succeededFuture(jobs.stream().map(Future::result).toList()))
        .eventually(() -> {
          vertx.eventBus().publish(RUN_ENDED, run);
          return Future.succeededFuture();
        });
  }

  /** One image: fetched here, then patched and published by a worker; never fails. */
  private Future<ImageOutcome> one(ImageTask task, FetchStage fetch) {
    vertx.eventBus().publish(PreparePipeline.EVENTS,
        JobEvents.queued(task.service(), task.upstream().toString()));
    long started = System.nanoTime();
    return fetch.apply(task)
        .recover(e -> Future.failedFuture(new StageException("fetch", task.service(), e)))
        .compose(fetched -> {
          FetchResult r = fetched.result();
          vertx.eventBus().publish(PreparePipeline.EVENTS, JobEvents.progress(task.service(),
              "fetch", r.action().name().toLowerCase(Locale.ROOT),
              r.copy() == null ? null : r.copy().bytesCopied()));
          return send(new ClusterJob(run, version, spec, task, r), 1,
              System.nanoTime() + cluster.workerWait().toNanos());
        })
        .recover(e -> {
          ImageOutcome failed = ImageOutcome.failed(task.service(), task.upstream().toString(),
              null, e instanceof StageException s ? s.reason() : "job: " + Causes.describe(e),
              (System.nanoTime() - started) / 1_000_000);
          vertx.eventBus().publish(PreparePipeline.EVENTS, new JsonObject()
              .put("type", JobEvents.FAILURE).put("service", task.service())
              .put("action", failed.action().label()).put("reason", failed.reason()));
          return Future.succeededFuture(failed);
        });
  }

  private Future<ImageOutcome> send(ClusterJob job, int attempt, long noWorkerDeadline) {
    return JobIntake.send(vertx, ADDRESS, job, jobTimeout).recover(e -> {
      ReplyFailure failure = e instanceof ReplyException r ? r.failureType() : null;
      if (failure == ReplyFailure.NO_HANDLERS) {
        if (System.nanoTime() - noWorkerDeadline >= 0) {
          return Future.failedFuture(new IllegalStateException("no refit worker took the job within "
              + JobIntake.human(cluster.workerWait()) + " (this coordinator: " + cluster.self()
              + ", members given: " + (cluster.members().isEmpty() ? "none"
                  : String.join(",", cluster.members())) + "); start 'refit worker --cluster'"
              + " with --cluster-members naming " + cluster.self() + ", or raise --cluster-wait"));
        }
        return vertx.timer(NO_WORKER_RETRY_MILLIS).compose(t -> send(job, attempt, noWorkerDeadline));
      }
      if (failure == ReplyFailure.TIMEOUT && attempt < ATTEMPTS) {
        vertx.eventBus().publish(PreparePipeline.EVENTS, new JsonObject().put("type", "notice")
            .put("message", job.task().service() + ": no result from its worker within "
                + JobIntake.human(jobTimeout) + "; sent again (attempt " + (attempt + 1) + " of "
                + ATTEMPTS + ")"));
        return send(job, attempt + 1, System.nanoTime() + cluster.workerWait().toNanos());
      }
      return Future.failedFuture(failure == ReplyFailure.TIMEOUT ? JobIntake.noResult(jobTimeout) : e);
    });
  }
}
