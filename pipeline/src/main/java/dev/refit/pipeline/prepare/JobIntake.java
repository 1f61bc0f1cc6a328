package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.pipeline.cluster.JobSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * Job dispatch over the event bus: one job message per image, answered with the image's
 * {@link ImageOutcome} once its job is done. A local run sends {@link ImageTask}s to a per-run
 * address; cluster workers share one address and take {@link ClusterJob}s, through this same
 * consumer. Messages travel with {@link JobCodec}; a job that does not answer within the
 * settings' {@code job_timeout} fails. Thread-safe; the consumer runs on an event loop and only
 * starts and composes Futures.
 *
 * @param <T> the job message
 */
final class JobIntake<T> {
  /** Prefix of the per-run intake address (one run never receives another run's jobs). */
  static final String ADDRESS_PREFIX = "refit.prepare.jobs.";

  private final Vertx vertx;
  private final MessageConsumer<T> consumer;
  private final Duration timeout;

  private JobIntake(Vertx vertx, MessageConsumer<T> consumer, Duration timeout) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /**
   * Registers a run's consumer at an address of its own; {@code start} turns a task into the
   * image's outcome and must not block (it is called on an event loop).
   */
  static Future<JobIntake<ImageTask>> register(Vertx vertx, Duration timeout,
      Function<ImageTask, Future<ImageOutcome>> start) {
    return at(vertx, ADDRESS_PREFIX + UUID.randomUUID(), timeout, start);
  }

  /**
   * Registers the consumer at {@code address}; with several consumers there (cluster workers),
   * the bus hands each job to one of them.
   */
  static <T> Future<JobIntake<T>> at(Vertx vertx, String address, Duration timeout,
      Function<T, Future<ImageOutcome>> start) {
    JobCodec.registerOn(vertx.eventBus());
    MessageConsumer<T> consumer = vertx.eventBus().consumer(address,
        message -> start.apply(message.body()).onComplete(done -> {
          if (done.succeeded()) {
            message.reply(done.result());
          } else {
            message.fail(1, Causes.describe(done.cause()));
          }
        }));
    return consumer.completion().map(v -> new JobIntake<>(vertx, consumer, timeout));
  }

  /** Sends one image's job; the Future completes with the outcome the consumer replied. */
  Future<ImageOutcome> submit(T task) {
    return send(vertx, consumer.address(), task, timeout)
        .recover(e -> Future.failedFuture(timedOut(e) ? noResult(timeout) : e));
  }

  /** Sends {@code job} to {@code address}; a failure is the bus's {@link ReplyException} as is. */
  static Future<ImageOutcome> send(Vertx vertx, String address, Object job, Duration timeout) {
    return vertx.eventBus().<ImageOutcome>request(address, job,
            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .map(reply -> reply.body());
  }

  static boolean timedOut(Throwable e) {
    return e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
  }

  static IllegalStateException noResult(Duration timeout) {
    return JobSender.noResult(timeout, "job_timeout in refit.yaml");
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
