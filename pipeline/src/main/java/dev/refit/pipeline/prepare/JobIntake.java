package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
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
 * Job dispatch over the event bus: one {@link ImageTask} message per image to a per-run
 * address, answered with the image's {@link ImageOutcome} once its job is done. Messages travel
 * with {@link JobCodec}; a job that does not answer within the settings' {@code job_timeout}
 * fails. Thread-safe; the consumer runs on an event loop and only starts and composes Futures.
 */
final class JobIntake {
  /** Prefix of the per-run intake address (one run never receives another run's jobs). */
  static final String ADDRESS_PREFIX = "refit.prepare.jobs.";

  private final Vertx vertx;
  private final MessageConsumer<ImageTask> consumer;
  private final Duration timeout;

  private JobIntake(Vertx vertx, MessageConsumer<ImageTask> consumer, Duration timeout) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /**
   * Registers the consumer; {@code start} turns a task into the image's outcome and must not
   * block (it is called on an event loop).
   */
  static Future<JobIntake> register(Vertx vertx, Duration timeout,
      Function<ImageTask, Future<ImageOutcome>> start) {
    JobCodec.registerOn(vertx.eventBus());
    String address = ADDRESS_PREFIX + UUID.randomUUID();
    MessageConsumer<ImageTask> consumer = vertx.eventBus().consumer(address,
        message -> start.apply(message.body()).onComplete(done -> {
          if (done.succeeded()) {
            message.reply(done.result());
          } else {
            message.fail(1, Causes.describe(done.cause()));
          }
        }));
    return consumer.completion().map(v -> new JobIntake(vertx, consumer, timeout));
  }

  /** Sends one image's job; the Future completes with the outcome the consumer replied. */
  Future<ImageOutcome> submit(ImageTask task) {
    return vertx.eventBus().<ImageOutcome>request(consumer.address(), task,
            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .map(reply -> reply.body())
        .recover(e -> Future.failedFuture(e instanceof ReplyException r
            && r.failureType() == ReplyFailure.TIMEOUT
            ? new IllegalStateException("no result within " + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                + "; raise job_timeout in refit.yaml if the image needs longer")
            : e));
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
