package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RegistryClientRetryTest {
  @TempDir Path noConfig;

  private ClientOptions options() {
    return ClientOptions.defaults().withDockerConfigDir(noConfig)
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  @Test
  void tags_429WithRetryAfter_waitsThenSucceeds(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    long[] started = new long[1];
    ScriptedServer.start(vertx, req -> {
          if (calls.incrementAndGet() == 1) {
            req.response().setStatusCode(429).putHeader("Retry-After", "1").end();
          } else {
            req.response().end("{\"tags\":[\"latest\"]}");
          }
        })
        .compose(s -> {
          started[0] = System.nanoTime();
          return RegistryClient.create(vertx, s.registry(), options()).tags("app");
        })
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          long waitedMs = (System.nanoTime() - started[0]) / 1_000_000;
          assertThat(tags).containsExactly("latest");
          assertThat(calls.get()).isEqualTo(2);
          assertThat(waitedMs).as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(950);
          ctx.completeNow();
        })));
  }

  @Test
  void getManifest_503ThenSuccess_retries(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    String body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";
    ScriptedServer.start(vertx, req -> {
          if (calls.incrementAndGet() < 3) {
            req.response().setStatusCode(503).end("busy");
          } else {
            req.response().putHeader("Content-Type", "application/vnd.oci.image.index.v1+json").end(body);
          }
        })
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).getManifest("app", "v1"))
        .onComplete(ctx.succeeding(m -> ctx.verify(() -> {
          assertThat(new String(m.bytes())).isEqualTo(body);
          assertThat(m.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
          assertThat(calls.get()).isEqualTo(3);
          ctx.completeNow();
        })));
  }

  @Test
  void tags_always503_failsAfterMaxAttemptsNamingUrlStatusAndAttempts(Vertx vertx, VertxTestContext ctx) {
    ScriptedServer[] holder = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> req.response().setStatusCode(503)
            .end("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}"))
        .compose(s -> {
          holder[0] = s;
          return RegistryClient.create(vertx, s.registry(), options().withMaxAttempts(3)).tags("app");
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(RegistryResponseException.class)
              .hasMessageContaining(holder[0].url("/v2/app/tags/list"))
              .hasMessageContaining("HTTP 503")
              .hasMessageContaining("UNAVAILABLE")
              .hasMessageContaining("after 3 attempts");
          assertThat(holder[0].seen()).hasSize(3);
          ctx.completeNow();
        })));
  }

  @Test
  void ping_connectionRefused_failsAfterMaxAttempts(Vertx vertx, VertxTestContext ctx) {
    // Bind a port, then close it, so nothing listens there.
    vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1")
        .compose(srv -> srv.close().map(srv.actualPort()))
        .compose(port -> RegistryClient.create(vertx, "127.0.0.1:" + port, options().withMaxAttempts(2)).ping())
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(RegistryClientException.class)
              .hasMessageContaining("GET http://127.0.0.1:")
              .hasMessageContaining("after 2 attempts");
          ctx.completeNow();
        })));
  }

  @Test
  void tags_404_failsAtOnceWithoutRetry(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    ScriptedServer.start(vertx, req -> {
          calls.incrementAndGet();
          req.response().setStatusCode(404).end("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no such repo\"}]}");
        })
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).tags("app"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((RegistryResponseException) e).errorCode()).isEqualTo("NAME_UNKNOWN");
          assertThat(calls.get()).isEqualTo(1);
          ctx.completeNow();
        })));
  }
}
