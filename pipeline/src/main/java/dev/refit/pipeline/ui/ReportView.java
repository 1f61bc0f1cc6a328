package dev.refit.pipeline.ui;

import dev.refit.pipeline.prepare.PrepareReport;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last prepare report of the store the web view serves. {@code prepare} and {@code demo}
 * publish into the embedded store {@code <cache>/registry} and write the report beside it
 * ({@code <cache>/refit-report.json}, atomically: {@link PrepareReport#writeTo}), so a report is
 * shown only for a store at that place. Absolute paths in its text (rewritten image lists,
 * artifact destinations, failure reasons) are cut to their file names, so the page never names a
 * path outside the store. Blocking; thread-safe.
 */
final class ReportView {
  /** An absolute path: at the start or after a space, quote, bracket or '='. */
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<=^|[\\s'\"(\\[=])/[^\\s'\")\\],]*");

  private final Path report;

  /** @param report the report file, or null when the served store is not a cache's store */
  private ReportView(Path report) {
    this.report = report;
  }

  /** The view for a store at {@code storeRoot}, with the cache directory {@code cacheDir}. */
  static ReportView of(Path storeRoot, Path cacheDir) {
    Path root = storeRoot.toAbsolutePath().normalize();
    Path cache = cacheDir.toAbsolutePath().normalize();
    return new ReportView(root.equals(cache.resolve("registry")) ? cache.resolve(PrepareReport.FILE_NAME) : null);
  }

  /** The report, paths cut to file names; 404 when there is none for this store. */
  JsonObject read() {
    if (report == null) {
      throw UiException.notFound("no prepare report for this store: prepare writes one when it "
          + "publishes into the embedded store of its cache directory");
    }
    String text;
    try {
      text = Files.readString(report, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw UiException.notFound("no prepare report yet: run 'refit prepare' or 'refit demo'");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the prepare report", e);
    }
    try {
      return (JsonObject) redact(new JsonObject(text));
    } catch (DecodeException e) {
      throw new UiException(500, "the prepare report is not JSON; run prepare again to rewrite it");
    }
  }

  /** {@code value} with every string's absolute paths cut to their last component. */
  static Object redact(Object value) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        out.put(e.getKey(), redact(e.getValue()));
      }
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(redact(v)));
      return out;
    }
    if (value instanceof String s) {
      Matcher m = ABSOLUTE_PATH.matcher(s);
      return m.replaceAll(r -> Matcher.quoteReplacement(lastComponent(r.group())));
    }
    return value;
  }

  private static String lastComponent(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return last.isEmpty() ? "/" : last;
  }
}
