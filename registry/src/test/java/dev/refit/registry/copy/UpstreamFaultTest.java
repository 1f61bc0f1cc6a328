package dev.refit.registry.copy;

import static dev.refit.registry.testkit.FaultProxy.BLOB_GET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.testkit.FaultProxy;
import dev.refit.registry.testkit.FaultProxy.Fault;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Copies a small image from a real registry through a {@link FaultProxy} that breaks the
 * upstream's answers on command: each fault must be survived with bounded retries, and a blob
 * whose bytes never match its digest must fail the copy, naming it, with nothing stored.
 */
@ExtendWith(VertxExtension.class)
class UpstreamFaultTest {
  private static final int LAYER_SIZE = 300_000;
  private static final ClientOptions FAST_RETRIES = ClientOptions.defaults()
      .withMaxAttempts(3)
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40));

  @TempDir Path tmp;
  private InProcessRegistry upstream;
  private FaultProxy proxy;
  private FsStore destination;
  private RawManifest image;
  private Descriptor layer;
  private FaultProxy.Kind layerGet;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("upstream")));
    TestImages images = new TestImages(upstream.store(), "src/app", 7);
    layer = images.layer(LAYER_SIZE);
    image = images.image(Platform.of("linux", "amd64"), List.of(layer), "v1");
    layerGet = FaultProxy.Kind.of(HttpMethod.GET, "/v2/src/app/blobs/" + layer.digest());
    proxy = FaultProxy.start(vertx, upstream);
    destination = FsStore.open(tmp.resolve("destination"), StoreOptions.defaults());
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void copy_429WithRetryAfter_waitsAndCompletes(Vertx vertx, VertxTestContext ctx) {
    proxy.failNext(BLOB_GET, Fault.TOO_MANY_REQUESTS, 1);
    long started = System.nanoTime();
    copy(vertx).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(waited).isBetween(1000L, 8000L);
      assertCopied(r);
      ctx.completeNow();
    })));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"INTERNAL_ERROR", "BAD_GATEWAY", "UNAVAILABLE"})
  void copy_serverError_retriedAndCompletes(Fault fault, Vertx vertx, VertxTestContext ctx) {
    proxy.failNext(BLOB_GET, fault, 2);
    copy(vertx).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertCopied(r);
      assertThat(proxy.count(BLOB_GET)).isEqualTo(2 + 2); // config and layer, plus two failures
      ctx.completeNow();
    })));
  }

  @Test
  void copy_resetMidBlob_resumesWithRange(Vertx vertx, VertxTestContext ctx) {
    proxy.failNext(layerGet, Fault.RESET_MID_BODY, 1);
    copy(vertx).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertCopied(r);
      assertThat(proxy.rangeHeaders(layerGet)).hasSize(1).first().asString().matches("bytes=[1-9][0-9]*-");
      ctx.completeNow();
    })));
  }

  @Test
  void copy_resetMidBlobWithoutRangeSupport_restartsFromTheFirstByte(Vertx vertx, VertxTestContext ctx) {
    proxy.supportRanges(false).failNext(layerGet, Fault.RESET_MID_BODY, 1);
    copy(vertx).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertCopied(r);
      assertThat(proxy.count(layerGet)).isEqualTo(2);
      ctx.completeNow();
    })));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"TRUNCATED_BODY", "FLIP_BYTE"})
  void copy_truncatedOrCorruptBody_detectedAndFetchedAgain(Fault fault, Vertx vertx, VertxTestContext ctx) {
    proxy.failNext(layerGet, fault, 1);
    copy(vertx).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertCopied(r);
      assertThat(proxy.count(layerGet)).isEqualTo(2);
      ctx.completeNow();
    })));
  }

  @Test
  void copy_everyAttemptCorrupt_failsNamingTheBlobAndStoresNothing(Vertx vertx, VertxTestContext ctx) {
    proxy.failAlways(layerGet, Fault.FLIP_BYTE);
    copy(vertx).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(ImageCopyException.class);
      assertThat(e.getMessage()).contains("v1").contains(layer.digest().toString());
      assertThat(destination.stat(layer.digest())).isEmpty();
      assertThat(destination.get("dst/app", "v1")).isEmpty();
      assertThat(new StoreVerifier(destination).verify().ok()).isTrue();
      assertThat(proxy.count(layerGet)).isEqualTo(CopyRun.STREAM_ATTEMPTS);
      ctx.completeNow();
    })));
  }

  private Future<CopyResult> copy(Vertx vertx) {
    RegistryClient client = RegistryClient.create(vertx, proxy.hostPort(),
        FAST_RETRIES.withDockerConfigDir(tmp.resolve("no-docker-config")));
    return ImageCopier.of(CopyOptions.defaults())
        .copy(new RegistrySource(client, "src/app"), "v1", new StoreSink(vertx, destination, "dst/app"), "v1")
        .eventually(client::close);
  }

  private void assertCopied(CopyResult result) throws Exception {
    assertThat(result.digest()).isEqualTo(image.digest());
    Path copied = destination.stat(layer.digest()).orElseThrow().path();
    assertThat(Files.readAllBytes(copied))
        .isEqualTo(Files.readAllBytes(upstream.store().stat(layer.digest()).orElseThrow().path()));
    assertThat(new StoreVerifier(destination).verify().ok()).isTrue();
  }
}
