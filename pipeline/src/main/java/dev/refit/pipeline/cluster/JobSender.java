package dev.refit.pipeline.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A coordinator's sending of jobs to the workers' shared address, for {@code prepare --cluster}
 * and {@code mirror --cluster} alike: a job with no reply within the job timeout (its worker
 * died) is sent again, to whichever worker the bus picks, up to {@link #ATTEMPTS} times in all;
 * one that finds no worker waits up to the cluster's worker wait, then fails naming
 * {@code refit worker --cluster}. Thread-safe; event-loop safe (only composes Futures).
 */
public final class JobSender {
  /** How often a job is sent in all, the first time included. */
  public static final int ATTEMPTS = 3;
  private static final long NO_WORKER_RETRY_MILLIS = 500;

  private final Vertx vertx;
  private final String address;
  private final Duration jobTimeout;
  private final String timeoutSetting;
  private final ClusterOptions cluster;

  /**
   * @param timeoutSetting where the user raises {@code jobTimeout}, for the message when a job
   *     never answers, e.g. {@code job_timeout in refit.yaml}
   */
  public JobSender(Vertx vertx, String address, Duration jobTimeout, String timeoutSetting,
      ClusterOptions cluster) {
    this.vertx = vertx;
    this.address = address;
    this.jobTimeout = jobTimeout;
    this.timeoutSetting = timeoutSetting;
    this.cluster = cluster;
  }

  /**
   * Sends {@code job} (a type with a registered codec) and completes with the worker's reply;
   * {@code resent} hears why, each time the job is sent again.
   */
  public <R> Future<R> send(Object job, Consumer<String> resent) {
    return send(job, resent, 1, System.nanoTime() + cluster.workerWait().toNanos());
  }

  private <R> Future<R> send(Object job, Consumer<String> resent, int attempt, long noWorkerDeadline) {
    return vertx.eventBus().<R>request(address, job,
            new DeliveryOptions().setSendTimeout(jobTimeout.toMillis()))
        .map(Message::body)
        .recover(e -> {
          ReplyFailure failure = e instanceof ReplyException r ? r.failureType() : null;
          if (failure == ReplyFailure.NO_HANDLERS) {
            if (System.nanoTime() - noWorkerDeadline >= 0) {
              return Future.failedFuture(noWorker());
            }
            return vertx.timer(NO_WORKER_RETRY_MILLIS)
                .compose(t -> send(job, resent, attempt, noWorkerDeadline));
          }
          if (failure == ReplyFailure.TIMEOUT && attempt < ATTEMPTS) {
            resent.accept("no result from its worker within " + human(jobTimeout)
                + "; sent again (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")");
            return send(job, resent, attempt + 1, System.nanoTime() + cluster.workerWait().toNanos());
          }
          return Future.failedFuture(failure == ReplyFailure.TIMEOUT
              ? noResult(jobTimeout, timeoutSetting) : e);
        });
  }

  private IllegalStateException noWorker() {
    return new IllegalStateException("no refit worker took the job within "
        + human(cluster.workerWait()) + " (this coordinator: " + cluster.self()
        + ", members given: " + (cluster.members().isEmpty() ? "none"
            : String.join(",", cluster.members())) + "); start 'refit worker --cluster'"
        + " with --cluster-members naming " + cluster.self() + ", or raise --cluster-wait");
  }

  /** A job that never answered, naming where its timeout is raised. */
  public static IllegalStateException noResult(Duration timeout, String timeoutSetting) {
    return new IllegalStateException("no result within " + human(timeout) + "; raise "
        + timeoutSetting + " if the image needs longer");
  }

  /** {@code 90s}, {@code 30m}: a duration as refit.yaml and the command line write it. */
  public static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
