package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload protocol details (chunk ranges, mount answers, Location handling) seen from the wire; the
 * same paths run end to end against the embedded registry in the copy tests.
 */
@ExtendWith(VertxExtension.class)
class BlobPushTest {
  @TempDir Path tmp;

  /** Plays the distribution upload protocol and records what it received. */
  private static final class UploadScript {
    final boolean blobExists;
    final boolean acceptMount;
    final Buffer received = Buffer.buffer();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    int session;
    int patches;
    int failPatch = -1;
    boolean keepFailedChunk;

    UploadScript(boolean blobExists, boolean acceptMount) {
      this.blobExists = blobExists;
      this.acceptMount = acceptMount;
    }

    /** The {@code n}-th PATCH (1-based) fails with 500, after or without keeping its bytes. */
    UploadScript failingPatch(int n, boolean keepBytes) {
      failPatch = n;
      keepFailedChunk = keepBytes;
      return this;
    }

    void handle(HttpServerRequest req) {
      requests.add(req.method() + " " + req.uri());
      req.body().onSuccess(body -> {
        switch (req.method().name()) {
          case "HEAD" -> req.response().setStatusCode(blobExists ? 200 : 404)
              .putHeader("Content-Length", blobExists ? "5" : "0").end();
          case "POST" -> {
            if (req.getParam("mount") != null && acceptMount) {
              req.response().setStatusCode(201).end();
            } else {
              req.response().setStatusCode(202)
                  .putHeader("Location", "/v2/app/blobs/uploads/u1?state=s" + session++).end();
            }
          }
          case "GET" -> req.response().setStatusCode(204)
              .putHeader("Range", "0-" + Math.max(0, received.length() - 1))
              .putHeader("Location", "/v2/app/blobs/uploads/u1?state=s" + session++).end();
          case "PATCH" -> {
            ranges.add(req.getHeader("Content-Range") + " len=" + body.length());
            if (++patches == failPatch) {
              if (keepFailedChunk) {
                received.appendBuffer(body);
              }
              req.response().setStatusCode(500).end();
              return;
            }
            received.appendBuffer(body);
            req.response().setStatusCode(202)
                .putHeader("Location", "/v2/app/blobs/uploads/u1?state=s" + session++).end();
          }
          case "PUT" -> {
            received.appendBuffer(body);
            Digest actual = Digest.sha256(received.getBytes());
            boolean ok = actual.toString().equals(req.getParam("digest")) && req.getParam("state") != null;
            req.response().setStatusCode(ok ? 201 : 400).end();
          }
          default -> req.response().setStatusCode(405).end();
        }
      });
    }
  }

  private Descriptor blob(Path file, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Files.write(file, data);
    return Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(data), size);
  }

  private ClientOptions options() {
    return ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none"));
  }

  @Test
  void pushBlob_chunked_patchesConsecutiveRangesThenClosesWithDigest(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 150_000);
    UploadScript script = new UploadScript(false, false);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options().withChunkSize(65_536))
            .pushBlob("app", d, file, null))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
          assertThat(script.ranges).containsExactly(
              "0-65535 len=65536", "65536-131071 len=65536", "131072-149999 len=18928");
          assertThat(script.received.getBytes()).isEqualTo(Files.readAllBytes(file));
          assertThat(script.requests.get(script.requests.size() - 1))
              .startsWith("PUT /v2/app/blobs/uploads/u1?state=s3&digest=sha256%3A");
          ctx.completeNow();
        })));
  }

  @Test
  void pushBlob_chunkFailedButKept_resumesAfterItWithoutResending(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 150_000);
    UploadScript script = new UploadScript(false, false).failingPatch(2, true);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options().withChunkSize(65_536)
                .withBackoff(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10)))
            .pushBlob("app", d, file, null))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
          assertThat(script.ranges).containsExactly(
              "0-65535 len=65536", "65536-131071 len=65536", "131072-149999 len=18928");
          assertThat(script.requests).anyMatch(r -> r.startsWith("GET /v2/app/blobs/uploads/u1"));
          assertThat(script.received.getBytes()).isEqualTo(Files.readAllBytes(file));
          ctx.completeNow();
        })));
  }

  @Test
  void pushBlob_chunkFailedAndLost_resendsIt(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 150_000);
    UploadScript script = new UploadScript(false, false).failingPatch(2, false);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options().withChunkSize(65_536)
                .withBackoff(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10)))
            .pushBlob("app", d, file, null))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(script.ranges).containsExactly("0-65535 len=65536", "65536-131071 len=65536",
              "65536-131071 len=65536", "131072-149999 len=18928");
          assertThat(script.received.getBytes()).isEqualTo(Files.readAllBytes(file));
          ctx.completeNow();
        })));
  }

  @Test
  void pushBlob_mountAccepted_sendsNoBytes(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 1000);
    UploadScript script = new UploadScript(false, true);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pushBlob("app", d, file, "base/img"))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome).isEqualTo(PushOutcome.MOUNTED);
          assertThat(script.requests).hasSize(2);
          assertThat(script.requests.get(1)).isEqualTo("POST /v2/app/blobs/uploads/?mount="
              + d.digest().toString().replace(":", "%3A") + "&from=base%2Fimg");
          assertThat(script.received.length()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void pushBlob_mountDeclined_uploadsIntoTheOfferedSession(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 70_000);
    UploadScript script = new UploadScript(false, false);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pushBlob("app", d, file, "base/img"))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
          assertThat(script.requests).hasSize(3);
          assertThat(script.requests.get(2)).startsWith("PUT /v2/app/blobs/uploads/u1?state=s0&digest=");
          assertThat(script.ranges).isEmpty();
          assertThat(script.received.getBytes()).isEqualTo(Files.readAllBytes(file));
          ctx.completeNow();
        })));
  }

  @Test
  void pushBlob_alreadyPresent_onlyHeads(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = tmp.resolve("layer");
    Descriptor d = blob(file, 5);
    UploadScript script = new UploadScript(true, false);
    ScriptedServer.start(vertx, script::handle)
        .compose(s -> RegistryClient.create(vertx, s.registry(), options()).pushBlob("app", d, file, null))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome).isEqualTo(PushOutcome.EXISTED);
          assertThat(script.requests).containsExactly("HEAD /v2/app/blobs/" + d.digest());
          ctx.completeNow();
        })));
  }
}
