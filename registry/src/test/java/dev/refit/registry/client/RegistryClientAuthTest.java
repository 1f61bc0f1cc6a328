package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RegistryClientAuthTest {
  private static final String TAGS = "{\"name\":\"team/app\",\"tags\":[\"v1\",\"v2\"]}";

  @TempDir Path configDir;

  /** Plays a token-protected registry: /token issues tok-N; a request is accepted with the current N only. */
  private static final class TokenRegistry {
    final AtomicInteger generation = new AtomicInteger(1);
    final AtomicInteger issued = new AtomicInteger();
    volatile String lastTokenQuery;
    volatile String lastTokenAuthorization;
    ScriptedServer server;

    void handle(HttpServerRequest req) {
      if (req.path().equals("/token")) {
        issued.incrementAndGet();
        lastTokenQuery = req.query();
        lastTokenAuthorization = req.getHeader("Authorization");
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("token", "tok-" + generation.get()).put("expires_in", 300).encode());
        return;
      }
      if (!("Bearer tok-" + generation.get()).equals(req.getHeader("Authorization"))) {
        req.response().setStatusCode(401)
            .putHeader("WWW-Authenticate", "Bearer realm=\"" + server.url("/token")
                + "\",service=\"scripted\",scope=\"repository:team/app:pull\"")
            .end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        return;
      }
      req.response().putHeader("Content-Type", "application/json").end(TAGS);
    }
  }

  @Test
  void tags_bearerChallenge_fetchesTokenOnceWithCredentialsAndCachesIt(Vertx vertx, VertxTestContext ctx) throws Exception {
    writeConfig("{\"auths\":{\"REGISTRY\":{\"auth\":\"" + b64("alice:s3cret") + "\"}}}");
    TokenRegistry reg = new TokenRegistry();
    ScriptedServer.start(vertx, reg::handle)
        .compose(s -> {
          reg.server = s;
          rewriteConfigHost(s.registry());
          RegistryClient client = RegistryClient.create(vertx, s.registry(),
              ClientOptions.defaults().withDockerConfigDir(configDir));
          return client.tags("team/app").compose(first -> client.tags("team/app").map(second -> first));
        })
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          assertThat(tags).containsExactly("v1", "v2");
          assertThat(reg.issued.get()).as("token fetched once, then cached").isEqualTo(1);
          assertThat(reg.lastTokenQuery).contains("service=scripted").contains("scope=repository%3Ateam%2Fapp%3Apull");
          assertThat(reg.lastTokenAuthorization).isEqualTo("Basic " + b64("alice:s3cret"));
          // first call: unauthenticated 401, token, retry; second call: straight through with the cached token
          assertThat(reg.server.count("/v2/")).isEqualTo(3);
          ctx.completeNow();
        })));
  }

  @Test
  void tags_tokenExpired_fetchesANewOne(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger issued = new AtomicInteger();
    ScriptedServer[] holder = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> {
          if (req.path().equals("/token")) {
            // expires_in 1: the client must not reuse it after a second
            req.response().end("{\"token\":\"t" + issued.incrementAndGet() + "\",\"expires_in\":1}");
          } else if (req.getHeader("Authorization") != null) {
            req.response().end(TAGS);
          } else {
            req.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"" + holder[0].url("/token") + "\"").end();
          }
        })
        .compose(s -> {
          holder[0] = s;
          RegistryClient client = RegistryClient.create(vertx, s.registry(), ClientOptions.defaults().withDockerConfigDir(configDir));
          return client.tags("team/app")
              .compose(v -> client.tags("team/app"))
              .compose(v -> vertx.timer(1100))
              .compose(v -> client.tags("team/app"));
        })
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          assertThat(issued.get()).as("one token for the first two calls, a new one after expiry").isEqualTo(2);
          assertThat(holder[0].seen().stream().filter(r -> r.uri().startsWith("/v2/")).map(r -> r.header("Authorization")))
              .containsExactly(null, "Bearer t1", "Bearer t1", "Bearer t2");
          ctx.completeNow();
        })));
  }

  @Test
  void tags_parallelAfterExpiry_shareOneTokenFetch(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger issued = new AtomicInteger();
    ScriptedServer[] holder = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> {
          if (req.path().equals("/token")) {
            int n = issued.incrementAndGet();
            // slow token service: every parallel request arrives while the fetch is in flight
            vertx.setTimer(300, t -> req.response().end("{\"token\":\"t" + n + "\",\"expires_in\":1}"));
          } else if (req.getHeader("Authorization") != null) {
            req.response().end(TAGS);
          } else {
            req.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"" + holder[0].url("/token") + "\"").end();
          }
        })
        .compose(s -> {
          holder[0] = s;
          RegistryClient client = RegistryClient.create(vertx, s.registry(), ClientOptions.defaults().withDockerConfigDir(configDir));
          return client.tags("team/app")
              .compose(v -> vertx.timer(1100))
              .compose(v -> Future.all(java.util.stream.IntStream.range(0, 8)
                  .mapToObj(i -> client.tags("team/app")).toList()));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(issued.get()).as("first token, then one shared refresh for 8 parallel calls").isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void tags_tokenRevoked_reauthenticatesOnceAndSucceeds(Vertx vertx, VertxTestContext ctx) {
    TokenRegistry reg = new TokenRegistry();
    ScriptedServer.start(vertx, reg::handle)
        .compose(s -> {
          reg.server = s;
          RegistryClient client = RegistryClient.create(vertx, s.registry(), ClientOptions.defaults().withDockerConfigDir(configDir));
          return client.tags("team/app")
              .compose(first -> {
                reg.generation.incrementAndGet(); // the registry now rejects tok-1
                return client.tags("team/app");
              });
        })
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          assertThat(tags).containsExactly("v1", "v2");
          assertThat(reg.issued.get()).isEqualTo(2);
          assertThat(reg.lastTokenAuthorization).as("anonymous token request").isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void tags_tokenNeverAccepted_failsAfterOneReauthentication(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger tokens = new AtomicInteger();
    ScriptedServer[] holder = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> {
          if (req.path().equals("/token")) {
            tokens.incrementAndGet();
            req.response().end("{\"access_token\":\"useless\"}");
          } else {
            req.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"" + holder[0].url("/token") + "\",service=\"s\"")
                .end();
          }
        })
        .compose(s -> {
          holder[0] = s;
          return RegistryClient.create(vertx, s.registry(), ClientOptions.defaults().withDockerConfigDir(configDir))
              .tags("team/app");
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(RegistryResponseException.class).hasMessageContaining("HTTP 401")
              .hasMessageContaining("/v2/team/app/tags/list");
          assertThat(((RegistryResponseException) e).status()).isEqualTo(401);
          assertThat(tokens.get()).isEqualTo(1);
          assertThat(holder[0].count("/v2/")).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void tags_basicChallenge_sendsConfiguredCredentials(Vertx vertx, VertxTestContext ctx) {
    String expected = "Basic " + b64("bob:pw");
    ScriptedServer.start(vertx, req -> {
          if (expected.equals(req.getHeader("Authorization"))) {
            req.response().end(TAGS);
          } else {
            req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"registry\"").end();
          }
        })
        .compose(s -> RegistryClient.create(vertx, s.registry(),
                ClientOptions.defaults().withCredentials(Credentials.of("bob", "pw")))
            .tags("team/app"))
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          assertThat(tags).containsExactly("v1", "v2");
          ctx.completeNow();
        })));
  }

  @Test
  void tags_basicChallengeWithoutCredentials_failsNamingDockerLogin(Vertx vertx, VertxTestContext ctx) {
    ScriptedServer.start(vertx, req -> req.response().setStatusCode(401)
            .putHeader("WWW-Authenticate", "Basic realm=\"registry\"").end())
        .compose(s -> RegistryClient.create(vertx, s.registry(), ClientOptions.defaults().withDockerConfigDir(configDir))
            .tags("team/app"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining("docker login").hasMessageContaining("127.0.0.1:");
          ctx.completeNow();
        })));
  }

  private void writeConfig(String json) throws Exception {
    Files.writeString(configDir.resolve("config.json"), json);
  }

  private void rewriteConfigHost(String registry) {
    try {
      Path file = configDir.resolve("config.json");
      Files.writeString(file, Files.readString(file).replace("REGISTRY", "http://" + registry + "/v1/"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
