package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void parseRetryAfter_secondsAndHttpDate() {
    assertThat(RetryPolicy.parseRetryAfter("7", NOW)).contains(Duration.ofSeconds(7));
    assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", NOW)).contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, NOW)).isEmpty();
  }

  @Test
  void delayAfter_retryAfterWins_butIsCapped() {
    assertThat(policy.delayAfter(1, "3", NOW)).isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delayAfter(1, "86400", NOW)).isEqualTo(RetryPolicy.MAX_RETRY_AFTER);
  }

  @Test
  void delayAfter_backoffDoublesWithJitterAndIsBounded() {
    for (int i = 0; i < 50; i++) {
      assertThat(policy.delayAfter(1, null, NOW).toMillis()).isBetween(50L, 100L);
      assertThat(policy.delayAfter(3, null, NOW).toMillis()).isBetween(200L, 400L);
      assertThat(policy.delayAfter(10, null, NOW).toMillis()).isBetween(500L, 1000L);
    }
  }

  @Test
  void isRetryableStatus_transientOnly() {
    assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(408)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(501)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(404)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(401)).isFalse();
  }

  @Test
  void hasAttemptAfter_boundedByMaxAttempts() {
    assertThat(policy.hasAttemptAfter(3)).isTrue();
    assertThat(policy.hasAttemptAfter(4)).isFalse();
  }
}
