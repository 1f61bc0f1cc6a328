package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RegistryClientTransferTest {
  @TempDir Path dir;
  @TempDir Path noConfig;

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  private ClientOptions options() {
    return ClientOptions.defaults().withDockerConfigDir(noConfig).withCredentials(Credentials.of("u", "p"));
  }

  @Test
  void pullBlob_redirectToOtherHost_followsAndStripsAuthorization(Vertx vertx, VertxTestContext ctx) {
    byte[] data = randomBytes(200_000);
    Digest digest = Digest.sha256(data);
    Path target = dir.resolve("blob");
    ScriptedServer[] storage = new ScriptedServer[1];
    ScriptedServer[] registry = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> req.response().end(Buffer.buffer(data)))
        .compose(s -> {
          storage[0] = s;
          return ScriptedServer.start(vertx, req -> {
            if (req.getHeader("Authorization") == null) {
              req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"r\"").end();
            } else if (req.path().startsWith("/v2/app/blobs/")) {
              // same-origin hop first, then off to "object storage" on another origin
              req.response().setStatusCode(307).putHeader("Location", "/v2/app/redirected/" + digest).end();
            } else {
              req.response().setStatusCode(302).putHeader("Location", storage[0].url("/bucket/x?sig=1")).end();
            }
          });
        })
        .compose(s -> {
          registry[0] = s;
          return RegistryClient.create(vertx, s.registry(), options()).pullBlob("app", digest, target);
        })
        .onComplete(ctx.succeeding(size -> ctx.verify(() -> {
          assertThat(size).isEqualTo(data.length);
          assertThat(Files.readAllBytes(target)).isEqualTo(data);
          assertThat(registry[0].seen()).last().extracting(r -> r.header("Authorization"))
              .as("same-origin redirect keeps credentials").isNotNull();
          assertThat(storage[0].seen()).hasSize(1);
          assertThat(storage[0].seen().get(0).header("Authorization")).as("cross-origin redirect strips them").isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void pullBlob_digestMismatch_failsAndLeavesNothing(Vertx vertx, VertxTestContext ctx) {
    byte[] data = randomBytes(100_000);
    Digest claimed = Digest.sha256("something else".getBytes());
    Path target = dir.resolve("blob");
    ScriptedServer.start(vertx, req -> req.response().end(Buffer.buffer(data)))
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pullBlob("app", claimed, target))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining(claimed.toString()).hasCauseInstanceOf(DigestMismatchException.class);
          try (var files = Files.list(dir)) {
            assertThat(files).as("no target and no temporary file").isEmpty();
          }
          ctx.completeNow();
        })));
  }

  /** Collects bytes and remembers whether it was ended (i.e. the bytes were accepted). */
  private static final class Collecting implements io.vertx.core.streams.WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();
    boolean ended;

    public Collecting exceptionHandler(io.vertx.core.Handler<Throwable> h) {
      return this;
    }

    public io.vertx.core.Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      return io.vertx.core.Future.succeededFuture();
    }

    public io.vertx.core.Future<Void> end() {
      ended = true;
      return io.vertx.core.Future.succeededFuture();
    }

    public Collecting setWriteQueueMaxSize(int max) {
      return this;
    }

    public boolean writeQueueFull() {
      return false;
    }

    public Collecting drainHandler(io.vertx.core.Handler<Void> h) {
      return this;
    }
  }

  @Test
  void pullBlobToStream_digestMismatch_failsWithoutEndingTheStream(Vertx vertx, VertxTestContext ctx) {
    byte[] data = randomBytes(50_000);
    Digest claimed = Digest.sha256("x".getBytes());
    Collecting out = new Collecting();
    ScriptedServer.start(vertx, req -> req.response().end(Buffer.buffer(data)))
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pullBlob("app", claimed, out))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasCauseInstanceOf(DigestMismatchException.class);
          assertThat(out.ended).as("unverified bytes are never accepted").isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void pullBlobToStream_match_endsTheStream(Vertx vertx, VertxTestContext ctx) {
    byte[] data = randomBytes(50_000);
    Collecting out = new Collecting();
    ScriptedServer.start(vertx, req -> req.response().end(Buffer.buffer(data)))
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pullBlob("app", Digest.sha256(data), out))
        .onComplete(ctx.succeeding(size -> ctx.verify(() -> {
          assertThat(size).isEqualTo(data.length);
          assertThat(out.ended).isTrue();
          assertThat(out.bytes.getBytes()).isEqualTo(data);
          ctx.completeNow();
        })));
  }

  @Test
  void readBlob_verifiesAndBoundsSize(Vertx vertx, VertxTestContext ctx) {
    byte[] config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes();
    Digest right = Digest.sha256(config);
    ScriptedServer.start(vertx, req -> req.response().end(Buffer.buffer(config)))
        .compose(s -> {
          RegistryClient client = RegistryClient.create(vertx, s.registry(), options());
          return client.readBlob("app", right, 1024)
              .compose(ok -> client.readBlob("app", Digest.sha256("other".getBytes()), 1024)
                  .transform(mismatch -> client.readBlob("app", right, 10)
                      .transform(tooBig -> io.vertx.core.Future.succeededFuture(
                          List.of(ok, mismatch.cause(), tooBig.cause())))));
        })
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(((Buffer) res.get(0)).getBytes()).isEqualTo(config);
          assertThat((Throwable) res.get(1)).hasCauseInstanceOf(DigestMismatchException.class);
          assertThat((Throwable) res.get(2)).hasMessageContaining("10-byte limit");
          ctx.completeNow();
        })));
  }

  @Test
  void pullBlob_connectionBrokenMidway_resumesWithRange(Vertx vertx, VertxTestContext ctx) {
    byte[] data = randomBytes(300_000);
    Digest digest = Digest.sha256(data);
    Path target = dir.resolve("blob");
    AtomicInteger calls = new AtomicInteger();
    String[] range = new String[1];
    ScriptedServer.start(vertx, req -> {
          if (calls.incrementAndGet() == 1) {
            req.response().putHeader("Content-Length", String.valueOf(data.length));
            req.response().write(Buffer.buffer(data).getBuffer(0, 100_000))
                .onComplete(v -> vertx.setTimer(50, t -> req.connection().close()));
            return;
          }
          range[0] = req.getHeader("Range");
          long from = Long.parseLong(range[0].substring("bytes=".length(), range[0].length() - 1));
          req.response().setStatusCode(206)
              .putHeader("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length)
              .end(Buffer.buffer(data).getBuffer((int) from, data.length));
        })
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pullBlob("app", digest, target))
        .onComplete(ctx.succeeding(size -> ctx.verify(() -> {
          assertThat(calls.get()).isEqualTo(2);
          assertThat(range[0]).startsWith("bytes=").isNotEqualTo("bytes=0-");
          assertThat(Files.readAllBytes(target)).isEqualTo(data);
          ctx.completeNow();
        })));
  }

  @Test
  void tags_linkHeaderPagination_collectsAllPages(Vertx vertx, VertxTestContext ctx) {
    ScriptedServer[] holder = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> {
          String last = req.getParam("last");
          if (last == null) {
            req.response().putHeader("Link", "</v2/app/tags/list?n=2&last=b>; rel=\"next\"").end("{\"tags\":[\"a\",\"b\"]}");
          } else if (last.equals("b")) {
            req.response().putHeader("Link", "<" + holder[0].url("/v2/app/tags/list?n=2&last=d") + ">; rel=\"next\"")
                .end("{\"tags\":[\"c\",\"d\"]}");
          } else {
            req.response().end("{\"tags\":[\"e\"]}");
          }
        })
        .compose(s -> {
          holder[0] = s;
          return RegistryClient.create(vertx, s.registry(), options()).tags("app");
        })
        .onComplete(ctx.succeeding(tags -> ctx.verify(() -> {
          assertThat(tags).containsExactly("a", "b", "c", "d", "e");
          assertThat(holder[0].seen()).hasSize(3);
          ctx.completeNow();
        })));
  }

  @Test
  void catalog_linkHeaderPagination_collectsAllRepositories(Vertx vertx, VertxTestContext ctx) {
    ScriptedServer.start(vertx, req -> {
          if (req.getParam("last") == null) {
            req.response().putHeader("Link", "</v2/_catalog?n=1&last=a>; rel=\"next\"").end("{\"repositories\":[\"a\"]}");
          } else {
            req.response().end("{\"repositories\":[\"b/c\"]}");
          }
        })
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).catalog())
        .onComplete(ctx.succeeding(repos -> ctx.verify(() -> {
          assertThat(repos).containsExactly("a", "b/c");
          ctx.completeNow();
        })));
  }

  @Test
  void getManifest_headerDigestMismatch_rejected(Vertx vertx, VertxTestContext ctx) {
    String body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}";
    ScriptedServer.start(vertx, req -> req.response()
            .putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            .putHeader("Docker-Content-Digest", Digest.sha256("other".getBytes()).toString())
            .end(body))
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).getManifest("app", "v1"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining("failed verification").hasMessageContaining("/v2/app/manifests/v1");
          ctx.completeNow();
        })));
  }
}
