package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.cluster.JobSender;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.progress.JobEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The coordinator's side of a clustered run: fetches each image into the shared registry, then
 * sends its {@link ClusterJob} to the workers' shared intake through a {@link JobSender}
 * (re-sent after {@code job_timeout}, a bounded wait for a worker). Thread-safe; event-loop only
 * composes Futures.
 */
final class ClusterDispatch {
  /** The address every worker's intake listens on. */
  static final String ADDRESS = "refit.prepare.cluster.jobs";
  /** Where a coordinator announces that a run ended, so workers release what they set up. */
  static final String RUN_ENDED = "refit.prepare.cluster.ended";

  private final Vertx vertx;
  private final RunSpec spec;
  private final String version;
  private final JobSender sender;
  private final String run = UUID.randomUUID().toString();

  ClusterDispatch(Vertx vertx, RunSpec spec, String version, Duration jobTimeout,
      ClusterOptions cluster) {
    this.vertx = vertx;
    this.spec = spec;
    this.version = version;
    this.sender = new JobSender(vertx, ADDRESS, jobTimeout, "job_timeout in refit.yaml", cluster);
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
          return sender.<ImageOutcome>send(new ClusterJob(run, version, spec, task, r),
              why -> vertx.eventBus().publish(PreparePipeline.EVENTS, new JsonObject()
                  .put("type", "notice").put("message", task.service() + ": " + why)));
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
}
