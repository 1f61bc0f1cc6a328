package dev.refit.pipeline.fetch;

import static dev.refit.pipeline.fetch.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test kit: an HTTP front (as a CDN before a registry) on port 0 that forwards every request to
 * a real registry, adds {@code Last-Modified} to manifest answers, and answers a manifest request
 * whose {@code If-None-Match} equals the registry's ETag with 304 (RFC 9110 section 13.1.2).
 * Records the {@code If-None-Match} values it saw. Event-loop only inside; accessors thread-safe.
 */
final class ValidatingFront {
  private final HttpServer server;
  private final HttpClient client;
  private final int targetPort;
  private final String lastModified;
  private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();

  private ValidatingFront(Vertx vertx, int targetPort, String lastModified) {
    this.client = vertx.createHttpClient();
    this.targetPort = targetPort;
    this.lastModified = lastModified;
    this.server = vertx.createHttpServer().requestHandler(this::forward);
  }

  static ValidatingFront start(Vertx vertx, int targetPort, String lastModified) {
    ValidatingFront front = new ValidatingFront(vertx, targetPort, lastModified);
    await(front.server.listen(0, "127.0.0.1"));
    return front;
  }

  private void forward(HttpServerRequest in) {
    boolean manifest = in.path().contains("/manifests/");
    String condition = in.getHeader("If-None-Match");
    if (manifest && condition != null) {
      ifNoneMatch.add(condition);
    }
    RequestOptions out = new RequestOptions().setMethod(in.method()).setHost("127.0.0.1")
        .setPort(targetPort).setURI(in.uri());
    in.headers().forEach((k, v) -> {
      if (!k.equalsIgnoreCase("If-None-Match") && !k.equalsIgnoreCase("Host")) {
        out.addHeader(k, v);
      }
    });
    // fetch sends only bodiless GET and HEAD requests upstream
    client.request(out).compose(req -> req.send()).onComplete(ar -> {
      if (ar.failed()) {
        in.response().setStatusCode(502).end();
        return;
      }
      var resp = ar.result();
      String etag = resp.getHeader("ETag");
      boolean notModified = manifest && resp.statusCode() == 200 && etag != null && etag.equals(condition);
      var answer = in.response().setStatusCode(notModified ? 304 : resp.statusCode());
      resp.headers().forEach((k, v) -> {
        if (!notModified || !k.equalsIgnoreCase("Content-Length")) {
          answer.putHeader(k, v);
        }
      });
      if (manifest && resp.statusCode() == 200) {
        answer.putHeader("Last-Modified", lastModified);
      }
      statuses.add(answer.getStatusCode());
      if (notModified) {
        resp.end().onComplete(done -> answer.end());
      } else {
        resp.pipeTo(answer);
      }
    });
  }

  int port() {
    return server.actualPort();
  }

  /** The If-None-Match values of the manifest requests, in arrival order. */
  List<String> ifNoneMatch() {
    return List.copyOf(ifNoneMatch);
  }

  /** Every status answered, in order. */
  List<Integer> statuses() {
    return List.copyOf(statuses);
  }

  void close() {
    await(server.close().eventually(client::close));
  }
}
