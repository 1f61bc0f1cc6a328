package dev.refit.registry.server;

import dev.refit.registry.store.fs.GarbageCollector;
import dev.refit.registry.store.fs.GcReport;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * refit's own maintenance endpoint, outside the distribution API: {@code POST /refit/v1/gc}
 * starts a garbage-collection run on the served store and answers 202 with the run's
 * {@code Location}; {@code GET /refit/v1/gc?run=N} answers {@code {"state":"running"}} until the
 * run ends, then its report or its failure. Loopback callers only (and, like every request,
 * behind htpasswd when that is on). Thread-safe.
 *
 * <p>Runs are polled rather than awaited in one request so that a long run outlives the
 * server's idle timeout. Each run takes the collector's usual locks, as a {@code --gc-interval}
 * run does, so pushes and pulls go on meanwhile.
 */
final class AdminHandlers {
  static final String GC_PATH = "/refit/v1/gc";
  private static final int KEPT_RUNS = 16;

  private final Worker worker;
  private final GarbageCollector gc;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Future<GcReport>> runs = Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Future<GcReport>> eldest) {
          return size() > KEPT_RUNS;
        }
      });

  AdminHandlers(Worker worker, GarbageCollector gc) {
    this.worker = worker;
    this.gc = gc;
  }

  Future<Void> gc(Exchange ex) {
    HttpServerRequest request = ex.request();
    if (!isLoopback(request.remoteAddress())) {
      throw RegistryException.of(ErrorCode.DENIED,
          "the admin endpoint " + GC_PATH + " answers loopback callers only");
    }
    if (request.method() == HttpMethod.POST) {
      boolean dryRun = "true".equals(request.getParam("dry-run"));
      long id = ids.incrementAndGet();
      runs.put(id, worker.run(() -> gc.run(dryRun)));
      request.response().putHeader("Location", GC_PATH + "?run=" + id);
      return send(request, 202, state(id, "running"));
    }
    long id = runId(request.getParam("run"));
    Future<GcReport> run = runs.get(id);
    if (run == null) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "no gc run " + id + " on this server")
          .withStatus(404);
    }
    if (!run.isComplete()) {
      return send(request, 200, state(id, "running"));
    }
    if (run.failed()) {
      return Future.failedFuture(run.cause());
    }
    return send(request, 200, state(id, "done").put("report", GcReportJson.toJson(run.result())));
  }

  /** True for a TCP peer on a loopback address (127/8, ::1, or IPv4-mapped 127/8). */
  static boolean isLoopback(SocketAddress remote) {
    String host = remote == null ? null : remote.hostAddress();
    if (host == null || host.isEmpty() || !host.matches("[0-9a-fA-F.:%]+")) {
      return false; // not an IP literal (e.g. a domain socket): never resolve names here
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static long runId(String param) {
    try {
      return Long.parseLong(param == null ? "" : param);
    } catch (NumberFormatException e) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "expected ?run=N, the id a POST returned")
          .withStatus(400);
    }
  }

  private static JsonObject state(long id, String state) {
    return new JsonObject().put("run", id).put("state", state);
  }

  private static Future<Void> send(HttpServerRequest request, int status, JsonObject body) {
    return request.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }
}
