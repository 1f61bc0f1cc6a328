package dev.refit.pipeline.fetch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses and formats HTTP-dates (RFC 9110 section 5.6.7) as UTC instants, never through the JVM's
 * default time zone: Apex read {@code Last-Modified} into a local-time struct and so shifted
 * every mtime by the host's UTC offset. Thread-safe (stateless).
 */
public final class HttpDate {
  // IMF-fixdate, the preferred form: "Sun, 06 Nov 1994 08:49:37 GMT".
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  // Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT"; its two-digit year is fixed up below.
  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);
  // Obsolete asctime form: "Sun Nov  6 08:49:37 1994" (always UTC).
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

  private HttpDate() {}

  /**
   * The instant an HTTP-date names, in any of the three forms recipients must accept; empty
   * when {@code value} is null or not an HTTP-date (section 5.6.7: an invalid date is ignored).
   */
  public static Optional<Instant> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.trim();
    try {
      return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException ignored) {
      // try the obsolete forms below
    }
    try {
      // The weekday is dropped before parsing: checked against the "yy" century it would reject
      // every valid date of the last century.
      int comma = text.indexOf(", ");
      LocalDateTime t = LocalDateTime.parse(comma < 0 ? text : text.substring(comma + 2), RFC_850);
      // Section 5.6.7: a two-digit year more than 50 years ahead means the most recent past year
      // with those digits ("yy" parses 94 as 2094).
      if (t.getYear() > LocalDateTime.now(ZoneOffset.UTC).getYear() + 50) {
        t = t.minusYears(100);
      }
      return Optional.of(t.toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      // try asctime
    }
    try {
      return Optional.of(LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      return Optional.empty();
    }
  }

  /** {@code instant} as an IMF-fixdate, e.g. for {@code If-Modified-Since}; sub-second parts are dropped. */
  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }
}
