package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start, serve and stop as a Vert.x caller sees them: futures only, nothing blocking. */
@ExtendWith(VertxExtension.class)
class RegistryServerVertxTest {
  @TempDir Path root;

  @Test
  void start_onPortZero_servesPingThenStopsListening(Vertx vertx, VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    RegistryServer.start(vertx, RegistryConfig.defaults(root).withPort(0))
        .compose(server -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/v2/")
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(body -> {
              ctx.verify(() -> {
                assertThat(server.actualPort()).isPositive();
                assertThat(resp.statusCode()).isEqualTo(200);
                assertThat(resp.getHeader("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
                assertThat(body.toString()).isEqualTo("{}");
              });
              return server;
            })))
        .compose(server -> server.stop().map(server.actualPort()))
        .compose(port -> client.request(HttpMethod.GET, port, "127.0.0.1", "/v2/")
            .compose(req -> req.send()).map(HttpClientResponse::statusCode))
        .onComplete(ar -> ctx.verify(() -> {
          assertThat(ar.failed()).as("request after stop() must fail to connect").isTrue();
          ctx.completeNow();
        }));
  }

  @Test
  void start_onBusyPort_failsWithHint(Vertx vertx, VertxTestContext ctx) {
    RegistryServer.start(vertx, RegistryConfig.defaults(root).withPort(0))
        .compose(first -> RegistryServer.start(vertx,
            RegistryConfig.defaults(root.resolve("second")).withPort(first.actualPort())))
        .onComplete(ar -> ctx.verify(() -> {
          assertThat(ar.failed()).isTrue();
          assertThat(ar.cause()).hasMessageContaining("cannot listen on 127.0.0.1:");
          ctx.completeNow();
        }));
  }
}
