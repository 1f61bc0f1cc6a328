package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.refit.registry.oci.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * Job intake over the event bus: the pipeline sends one job message per image ({@code service},
 * {@code upstream}) to a per-run address; the consumer starts that image's job and replies with
 * its {@link ImageOutcome} as JSON once the job is done, so the pipeline joins the replies.
 * Thread-safe; the consumer runs on an event loop and only starts and composes Futures.
 */
final class JobIntake {
  /** Prefix of the per-run intake address (one run never receives another run's jobs). */
  static final String ADDRESS_PREFIX = "refit.prepare.jobs.";
  /** A job replies when its image is done; a docker build and push may take long. */
  private static final Duration JOB_TIMEOUT = Duration.ofHours(12);

  private final Vertx vertx;
  private final MessageConsumer<JsonObject> consumer;

  private JobIntake(Vertx vertx, MessageConsumer<JsonObject> consumer) {
    this.vertx = vertx;
    this.consumer = consumer;
  }

  /**
   * Registers the consumer; {@code start} turns a job message into the image's outcome and must
   * not block (it is called on an event loop).
   */
  static Future<JobIntake> register(Vertx vertx, Function<JsonObject, Future<ImageOutcome>> start) {
    String address = ADDRESS_PREFIX + UUID.randomUUID();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address,
        message -> start.apply(message.body()).onComplete(done -> {
          if (done.succeeded()) {
            message.reply(toJson(done.result()));
          } else {
            message.fail(1, dev.refit.error.Causes.describe(done.cause()));
          }
        }));
    return consumer.completion().map(v -> new JobIntake(vertx, consumer));
  }

  /** The intake address of this run. */
  String address() {
    return consumer.address();
  }

  /** Sends one image's job; the Future completes with the outcome the consumer replied. */
  Future<ImageOutcome> submit(String service, String upstream) {
    JsonObject job = new JsonObject().put("service", service).put("upstream", upstream);
    return vertx.eventBus().<JsonObject>request(address(), job,
            new DeliveryOptions().setSendTimeout(JOB_TIMEOUT.toMillis()))
        .map(reply -> fromJson(reply.body()));
  }

  Future<Void> close() {
    return consumer.unregister();
  }

  static JsonObject toJson(ImageOutcome outcome) {
    try {
      return new JsonObject(Json.mapper().writeValueAsString(outcome));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the outcome of " + outcome.service(), e);
    }
  }

  static ImageOutcome fromJson(JsonObject json) {
    try {
      return Json.mapper().readValue(json.encode(), ImageOutcome.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job reply is not an image outcome: " + e.getMessage(), e);
    }
  }
}
