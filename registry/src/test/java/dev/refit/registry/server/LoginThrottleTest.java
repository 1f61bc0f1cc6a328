package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong();
  private final LoginThrottle throttle = new LoginThrottle(
      ClientLimits.defaults().withFailedLogins(2, Duration.ofSeconds(10)), now::get);

  @Test
  void retryAfterSeconds_afterMaxFailures_countsDownThenExpires() {
    throttle.failed("10.0.0.1");
    assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
    throttle.failed("10.0.0.1");

    assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEqualTo(10);
    assertThat(throttle.retryAfterSeconds("10.0.0.2")).isZero();
    now.addAndGet(Duration.ofMillis(7500).toNanos());
    assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEqualTo(3);
    now.addAndGet(Duration.ofMillis(2500).toNanos());
    assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
  }

  @Test
  void succeeded_clearsTheCount() {
    throttle.failed("10.0.0.1");
    throttle.succeeded("10.0.0.1");
    throttle.failed("10.0.0.1");

    assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
  }

  @Test
  void failed_fromMoreAddressesThanTracked_forgetsTheLeastRecent() {
    throttle.failed("first");
    throttle.failed("first");
    for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) {
      throttle.failed("10.1." + (i / 256) + "." + (i % 256));
    }

    assertThat(throttle.tracked()).isEqualTo(LoginThrottle.MAX_TRACKED);
    assertThat(throttle.retryAfterSeconds("first")).isZero();
  }
}
