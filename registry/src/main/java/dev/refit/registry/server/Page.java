package dev.refit.registry.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One page of a lexically sorted listing (tags or repositories), cut by the {@code n} and
 * {@code last} query parameters. Immutable.
 *
 * <p>distribution-spec "Listing Tags": entries strictly after {@code last}, at most {@code n};
 * {@code n=0} is an empty page without a Link; when entries remain, a
 * {@code Link: <...?n=&last=>; rel="next"} header (RFC 5988) points at the next page.
 */
record Page(List<String> items, String nextLink) {

  /**
   * @param sorted   all entries, sorted lexically
   * @param n        the raw {@code n} parameter, or null for "no limit"
   * @param last     the raw {@code last} parameter, or null
   * @param basePath the listing path the Link header should point at
   */
  static Page of(List<String> sorted, String n, String last, String basePath) {
    int limit = parseLimit(n);
    int from = 0;
    if (last != null) {
      while (from < sorted.size() && sorted.get(from).compareTo(last) <= 0) {
        from++;
      }
    }
    int to = limit < 0 ? sorted.size() : (int) Math.min(sorted.size(), (long) from + limit);
    List<String> items = List.copyOf(sorted.subList(from, to));
    String link = null;
    if (limit > 0 && to < sorted.size() && !items.isEmpty()) {
      String lastItem = items.get(items.size() - 1);
      link = "<" + basePath + "?n=" + limit + "&last="
          + URLEncoder.encode(lastItem, StandardCharsets.UTF_8) + ">; rel=\"next\"";
    }
    return new Page(items, link);
  }

  private static int parseLimit(String n) {
    if (n == null || n.isEmpty()) {
      return -1;
    }
    try {
      int value = Integer.parseInt(n);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw RegistryException.of(ErrorCode.PAGINATION_NUMBER_INVALID,
          "query parameter n must be a non-negative integer, got '" + n + "'");
    }
  }
}
