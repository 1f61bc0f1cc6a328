package dev.refit.registry.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source registry whose first blob response breaks mid-body (a protocol failure scenario the
 * embedded registry cannot produce): the copier must re-open the stream and finish.
 */
@ExtendWith(VertxExtension.class)
class StreamRetryTest {
  @TempDir Path tmp;

  @Test
  void copy_sourceStreamBreaks_reopensAndCompletes(Vertx vertx, VertxTestContext ctx) {
    FsStore store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    run(vertx, ctx, new StoreSink(vertx, store, "dst"), (digest, layer) ->
        assertThat(Files.readAllBytes(store.stat(digest).orElseThrow().path())).isEqualTo(layer));
  }

  @Test
  void copy_sourceStreamBreaksDuringUpload_abortsUploadAndRetries(Vertx vertx, VertxTestContext ctx) {
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("reg")));
    RegistryClient target = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
    run(vertx, ctx, new RegistrySink(target, "dst"), (digest, layer) ->
        assertThat(Files.readAllBytes(registry.store().stat(digest).orElseThrow().path())).isEqualTo(layer));
  }

  interface Check {
    void verify(Digest layerDigest, byte[] layer) throws Exception;
  }

  private void run(Vertx vertx, VertxTestContext ctx, ImageSink sink, Check check) {
    byte[] layer = new byte[400_000];
    new Random(11).nextBytes(layer);
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
    Descriptor layerD = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(layer), layer.length);
    Descriptor configD = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
    RawManifest manifest = Manifest.of(configD, List.of(layerD)).toRaw();
    Map<String, byte[]> blobs = Map.of(layerD.digest().toString(), layer, configD.digest().toString(), config);
    AtomicInteger layerGets = new AtomicInteger();

    vertx.createHttpServer().requestHandler(req -> {
          String path = req.path();
          if (path.equals("/v2/src/manifests/v1")) {
            req.response().putHeader("Content-Type", manifest.mediaType())
                .putHeader("Docker-Content-Digest", manifest.digest().toString())
                .end(Buffer.buffer(manifest.bytes()));
            return;
          }
          String digest = path.substring(path.lastIndexOf('/') + 1);
          byte[] bytes = blobs.get(digest);
          if (bytes == null) {
            req.response().setStatusCode(404).end();
          } else if (bytes == layer && layerGets.incrementAndGet() == 1) {
            req.response().putHeader("Content-Length", String.valueOf(bytes.length))
                .write(Buffer.buffer(bytes).getBuffer(0, 150_000))
                .onComplete(v -> vertx.setTimer(50, t -> req.connection().close()));
          } else {
            req.response().end(Buffer.buffer(bytes));
          }
        })
        .listen(0, "127.0.0.1")
        .compose((HttpServer server) -> {
          RegistryClient client = RegistryClient.create(vertx, "127.0.0.1:" + server.actualPort(),
              ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
          return ImageCopier.of(CopyOptions.defaults())
              .copy(new RegistrySource(client, "src"), "v1", sink, "v1");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(manifest.digest());
          assertThat(layerGets.get()).isEqualTo(2);
          check.verify(layerD.digest(), layer);
          ctx.completeNow();
        })));
  }
}
