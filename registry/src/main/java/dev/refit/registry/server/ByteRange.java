package dev.refit.registry.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a blob, from a {@code Range: bytes=...} request header.
 * Immutable.
 *
 * <p>RFC 9110 14.1.2/14.2: {@code a-b}, {@code a-} and suffix {@code -n}; a header that does not
 * parse, or asks for several ranges, is ignored and the whole blob is served; a range that cannot
 * be satisfied yields 416 with {@code Content-Range: bytes *&#47;size} (RFC 9110 15.5.17).
 */
record ByteRange(long start, long end) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  long length() {
    return end - start + 1;
  }

  String contentRange(long size) {
    return "bytes " + start + "-" + end + "/" + size;
  }

  /**
   * Parses {@code header} against a blob of {@code size} bytes; empty means "serve it whole".
   *
   * @throws RegistryException RANGE_INVALID (416) when the range cannot be satisfied
   */
  static Optional<ByteRange> parse(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long start = Long.parseLong(m.group(1));
      long end = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (end < start) {
        return Optional.empty(); // syntactically invalid per RFC 9110 14.1.1: ignore the header
      }
      if (start >= size) {
        throw unsatisfiable(header, size);
      }
      return Optional.of(new ByteRange(start, Math.min(end, size - 1)));
    } catch (NumberFormatException tooBig) {
      return Optional.empty();
    }
  }

  private static RegistryException unsatisfiable(String header, long size) {
    return RegistryException.of(ErrorCode.RANGE_INVALID,
            "range '" + header + "' cannot be satisfied by a blob of " + size + " bytes")
        .withHeader("Content-Range", "bytes */" + size);
  }
}
