package dev.refit.pipeline.mirror;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * Test kit: an HTTP proxy on port 0 in front of a registry that plays one without the OCI 1.1
 * referrers API: {@code /v2/<name>/referrers/<digest>} answers 404 (distribution-spec "Listing
 * Referrers": clients then fall back to the tag schema); everything else is forwarded.
 * Event-loop only inside.
 */
final class NoReferrersProxy {
  private final HttpServer server;
  private final HttpClient client;

  private NoReferrersProxy(Vertx vertx, int targetPort) {
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(req -> forward(req, targetPort));
  }

  static NoReferrersProxy start(Vertx vertx, int targetPort) throws Exception {
    NoReferrersProxy proxy = new NoReferrersProxy(vertx, targetPort);
    proxy.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return proxy;
  }

  int port() {
    return server.actualPort();
  }

  private void forward(HttpServerRequest req, int targetPort) {
    if (req.path().contains("/referrers/")) {
      req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no referrers API here\"}]}");
      return;
    }
    req.pause();
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
        .setPort(targetPort).setURI(req.uri()).setHeaders(req.headers());
    client.request(options)
        .compose(out -> out.send(req))
        .onSuccess(resp -> {
          req.response().setStatusCode(resp.statusCode());
          req.response().headers().setAll(resp.headers()).remove("Transfer-Encoding");
          if (resp.getHeader("Content-Length") == null) {
            req.response().setChunked(true);
          }
          resp.pipeTo(req.response());
        })
        .onFailure(e -> req.response().setStatusCode(502).end());
  }
}
