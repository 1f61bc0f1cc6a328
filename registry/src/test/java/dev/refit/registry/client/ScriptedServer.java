package dev.refit.registry.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on port 0 that plays one protocol scenario (a 401 challenge, a 429, a
 * redirect) chosen by the test, and records every request it saw. Protocol fixture only:
 * end-to-end behaviour is tested against the embedded registry.
 */
final class ScriptedServer {
  record Seen(String method, String uri, MultiMap headers) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static Future<ScriptedServer> start(Vertx vertx, Handler<HttpServerRequest> script) {
    ScriptedServer s = new ScriptedServer();
    return vertx.createHttpServer()
        .requestHandler(req -> {
          s.seen.add(new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
          script.handle(req);
        })
        .listen(0, "127.0.0.1")
        .map(srv -> {
          s.server = srv;
          return s;
        });
  }

  int port() {
    return server.actualPort();
  }

  /** {@code 127.0.0.1:port}: a loopback registry, so the client speaks plain HTTP to it. */
  String registry() {
    return "127.0.0.1:" + port();
  }

  String url(String path) {
    return "http://" + registry() + path;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  long count(String pathPrefix) {
    return seen.stream().filter(s -> s.uri().startsWith(pathPrefix)).count();
  }
}
