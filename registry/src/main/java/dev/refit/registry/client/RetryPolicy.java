package dev.refit.registry.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry a registry request and how long to wait: jittered exponential backoff, or the
 * server's {@code Retry-After}. Immutable and thread-safe.
 *
 * <p>Transient statuses are 408, 429 and 5xx other than 501/505 (RFC 9110 section 15.6: those
 * two will not change on retry).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /** A Retry-After longer than this is capped: a copy should fail rather than hang for hours. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  public static RetryPolicy of(ClientOptions options) {
    return new RetryPolicy(options.maxAttempts(), options.initialBackoff(), options.maxBackoff());
  }

  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
  }

  /** True when another attempt may follow attempt number {@code attempt} (1-based). */
  public boolean hasAttemptAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The wait before attempt {@code attempt + 1}: the server's Retry-After if it sent a usable
   * one, else a random delay in [backoff/2, backoff] with backoff = initial * 2^(attempt-1)
   * capped at maxBackoff ("equal jitter", so concurrent clients spread out).
   */
  public Duration delayAfter(int attempt, String retryAfterHeader, Instant now) {
    Optional<Duration> serverAsked = parseRetryAfter(retryAfterHeader, now);
    if (serverAsked.isPresent()) {
      Duration d = serverAsked.get();
      return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }

  /** RFC 9110 section 10.2.3: delay-seconds or an HTTP-date. Malformed values are ignored. */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return Optional.of(MAX_RETRY_AFTER);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
