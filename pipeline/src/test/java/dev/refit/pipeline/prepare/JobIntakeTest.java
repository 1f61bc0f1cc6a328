package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.cluster.JsonCodec;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event-bus job intake: a job message in, the image's outcome back as the reply. */
@ExtendWith(VertxExtension.class)
class JobIntakeTest {

  private static ImageOutcome patched(String service) {
    return new ImageOutcome(service, "up/" + service + ":1", "sha256:" + "a".repeat(64),
        Action.PATCHED, null, "sha256:" + "b".repeat(64), "repo:apex@sha256:" + "b".repeat(64),
        List.of("I1"), 42);
  }

  @Test
  void submit_consumerStartsTheJob_repliesWithItsOutcome(Vertx vertx, VertxTestContext test) {
    List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    JobIntake.register(vertx, Duration.ofMinutes(1), job -> {
      started.add(job.service() + " " + job.upstream());
      return Future.succeededFuture(patched(job.service()));
    }).compose(intake -> Future.all(intake.submit(task("nova-api")), intake.submit(task("keystone")))
        .eventually(intake::close))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(started).containsExactlyInAnyOrder("nova-api up.example/nova-api:1",
              "keystone up.example/keystone:1");
          assertThat(all.<ImageOutcome>resultAt(0)).isEqualTo(patched("nova-api"));
          assertThat(all.<ImageOutcome>resultAt(1)).isEqualTo(patched("keystone"));
          test.completeNow();
        })));
  }

  @Test
  void submit_jobFails_failsWithItsMessage(Vertx vertx, VertxTestContext test) {
    JobIntake.register(vertx, Duration.ofMinutes(1),
            job -> Future.failedFuture(new IllegalStateException("no such image")))
        .compose(intake -> intake.submit(task("x")).eventually(intake::close))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(ReplyException.class).hasMessageContaining("no such image");
          test.completeNow();
        })));
  }

  @Test
  void submit_jobSlowerThanTheTimeout_failsNamingTheSetting(Vertx vertx, VertxTestContext test) {
    JobIntake.register(vertx, Duration.ofMillis(200), job -> Promise.<ImageOutcome>promise().future())
        .compose(intake -> intake.submit(task("slow")).eventually(intake::close))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).hasMessageContaining("no result within 0.2s").hasMessageContaining("job_timeout");
          test.completeNow();
        })));
  }

  @Test
  void codec_overTheWire_roundTripsTaskAndOutcome() {
    ImageOutcome failed = ImageOutcome.failed("neutron-server", "up/n:1", null, "hunk failed", 7);
    assertThat(wire(JobCodec.OUTCOME, failed)).isEqualTo(failed);
    assertThat(wire(JobCodec.OUTCOME, patched("nova-api"))).isEqualTo(patched("nova-api"));
    assertThat(wire(JobCodec.TASK, task("nova-api"))).isEqualTo(task("nova-api"));
  }

  private static <T> T wire(JsonCodec<T> codec, T value) {
    Buffer buffer = Buffer.buffer().appendString("xx");
    codec.encodeToWire(buffer, value);
    return codec.decodeFromWire(2, buffer);
  }

  private static ImageTask task(String service) {
    return new ImageTask(service, ImageRef.parse("up.example/" + service + ":1"));
  }
}
