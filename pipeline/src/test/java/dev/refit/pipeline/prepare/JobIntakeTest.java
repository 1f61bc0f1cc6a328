package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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
    JobIntake.register(vertx, job -> {
      started.add(job.getString("service") + " " + job.getString("upstream"));
      return Future.succeededFuture(patched(job.getString("service")));
    }).compose(intake -> Future.all(intake.submit("nova-api", "up/nova-api:1"),
            intake.submit("keystone", "up/keystone:1"))
        .eventually(intake::close))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(started).containsExactlyInAnyOrder("nova-api up/nova-api:1",
              "keystone up/keystone:1");
          assertThat(all.<ImageOutcome>resultAt(0)).isEqualTo(patched("nova-api"));
          assertThat(all.<ImageOutcome>resultAt(1)).isEqualTo(patched("keystone"));
          test.completeNow();
        })));
  }

  @Test
  void submit_jobFails_failsWithItsMessage(Vertx vertx, VertxTestContext test) {
    JobIntake.register(vertx, job -> Future.failedFuture(new IllegalStateException("no such image")))
        .compose(intake -> intake.submit("x", "up/x:1").eventually(intake::close))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(ReplyException.class).hasMessageContaining("no such image");
          test.completeNow();
        })));
  }

  @Test
  void toJson_failedOutcome_roundTrips() {
    ImageOutcome failed = ImageOutcome.failed("neutron-server", "up/n:1", null, "hunk failed", 7);
    assertThat(JobIntake.fromJson(JobIntake.toJson(failed))).isEqualTo(failed);
    assertThat(JobIntake.toJson(failed).getString("action")).isEqualTo("failed");
  }
}
