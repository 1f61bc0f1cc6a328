package dev.refit.pipeline.rebuild;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test kit: an HTTP proxy on port 0 in front of a registry that logs every request as
 * {@code METHOD uri} and forwards it, bodies streamed both ways, so a test can count what a client
 * sent. (The TCP-level {@code fetch.CountingProxy} cannot find request lines after a request body.)
 * It can also play a registry without an endpoint: paths containing a given part answer 404.
 * Event-loop only inside; {@link #requests} is thread-safe.
 */
public final class CountingHttpProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client;
  private final String missing;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private CountingHttpProxy(Vertx vertx, int targetPort, String missing) {
    this.client = vertx.createHttpClient();
    this.missing = missing;
    this.server = vertx.createHttpServer().requestHandler(in -> forward(in, targetPort));
  }

  public static CountingHttpProxy start(Vertx vertx, int targetPort) {
    return start(vertx, targetPort, null);
  }

  /**
   * A proxy that answers 404 to every path containing {@code missing}, e.g. {@code "/referrers/"}
   * for a registry without the OCI 1.1 referrers API (distribution-spec "Listing Referrers").
   */
  public static CountingHttpProxy start(Vertx vertx, int targetPort, String missing) {
    CountingHttpProxy proxy = new CountingHttpProxy(vertx, targetPort, missing);
    await(proxy.server.listen(0, "127.0.0.1"));
    return proxy;
  }

  private void forward(HttpServerRequest in, int targetPort) {
    requests.add(in.method() + " " + in.uri());
    if (missing != null && in.path().contains(missing)) {
      in.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not served here\"}]}");
      return;
    }
    in.pause();
    RequestOptions options = new RequestOptions().setMethod(in.method()).setHost("127.0.0.1")
        .setPort(targetPort).setURI(in.uri()).setHeaders(in.headers());
    client.request(options)
        .compose(out -> out.send(in))
        .compose(resp -> {
          in.response().setStatusCode(resp.statusCode()).headers().setAll(resp.headers());
          return resp.body().compose(body -> in.response().end(body));
        })
        .onFailure(err -> in.response().setStatusCode(502).end());
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code METHOD uri} of every request, in arrival order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  void clear() {
    requests.clear();
  }

  @Override
  public void close() {
    await(server.close().eventually(client::close));
  }

  private static <T> T await(Future<T> future) {
    return dev.refit.registry.client.Await.result(future, Duration.ofSeconds(30), "test proxy");
  }
}
