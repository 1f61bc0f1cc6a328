package dev.refit.pipeline.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of a sorted listing, cut as the registry's catalog cuts it: the entries strictly after
 * {@code last}, at most {@code n} of them, and {@code next} (the last entry shown) when more
 * remain. Immutable.
 */
record Paging(int limit, String last) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  /** From the raw {@code n} and {@code last} query parameters (either may be null). */
  static Paging of(String n, String last) {
    int limit = DEFAULT_LIMIT;
    if (n != null && !n.isEmpty()) {
      try {
        limit = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw UiException.badRequest("n must be a whole number from 1 to " + MAX_LIMIT + ", got '" + n + "'");
      }
    }
    return new Paging(limit, last == null || last.isEmpty() ? null : last);
  }

  /** The entries of this page, of {@code sorted}. */
  List<String> cut(List<String> sorted) {
    int from = 0;
    if (last != null) {
      while (from < sorted.size() && sorted.get(from).compareTo(last) <= 0) {
        from++;
      }
    }
    return sorted.subList(from, Math.min(sorted.size(), from + limit));
  }

  /** {@code {key: items, total, next}}: next is the last entry shown, or null at the end. */
  JsonObject page(String key, List<String> sorted, JsonArray items, List<String> shown) {
    boolean more = !shown.isEmpty() && !shown.get(shown.size() - 1).equals(sorted.get(sorted.size() - 1));
    return new JsonObject().put(key, items).put("total", sorted.size())
        .put("next", more ? shown.get(shown.size() - 1) : null);
  }
}
