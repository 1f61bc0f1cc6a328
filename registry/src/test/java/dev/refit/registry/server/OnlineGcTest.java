package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.store.fs.VerifyReport;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection inside a serving registry ({@code serve --gc-interval}) while pushes go on. */
class OnlineGcTest {
  private static final int PUSHERS = 3;
  private static final int IMAGES_EACH = 6;
  private static final byte[] BASE_LAYER = "shared base layer".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;

  private record Image(String repo, String tag, byte[] manifest, List<byte[]> blobs) {}

  @Test
  @Timeout(120)
  void serve_gcEvery5msWithShortGrace_concurrentPushes_allVerifyAndPull() throws Exception {
    // A grace of 100 ms, far below the default hour, leaves pushes that take longer to the
    // store's locking alone; zero would sweep most uploads before their link and starve a push.
    StoreOptions options = StoreOptions.defaults()
        .withGcGrace(Duration.ofMillis(100)).withGcInterval(Duration.ofMillis(5));
    try (InProcessRegistry registry =
        InProcessRegistry.start(RegistryConfig.defaults(root).withStoreOptions(options))) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());
      byte[] orphan = "no manifest will ever need this".getBytes(StandardCharsets.UTF_8);
      // With so short a grace even the upload may be swept before it is linked (404): retry,
      // as the pushes below do.
      while (!post(http, "scratch", orphan)) {
        Thread.sleep(1);
      }
      awaitStatus(http, "/v2/scratch/blobs/" + Digest.sha256(orphan), 404); // gc is running

      AtomicInteger retries = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
      List<Future<List<Image>>> pushed = new ArrayList<>();
      for (int p = 0; p < PUSHERS; p++) {
        String repo = "team" + p + "/app";
        pushed.add(pool.submit(() -> {
          List<Image> images = new ArrayList<>();
          for (int i = 0; i < IMAGES_EACH; i++) {
            images.add(pushRetrying(http, repo, "v" + i, retries));
          }
          return images;
        }));
      }
      List<Image> images = new ArrayList<>();
      for (Future<List<Image>> f : pushed) {
        images.addAll(f.get(100, TimeUnit.SECONDS));
      }
      pool.shutdown();

      VerifyReport report = new StoreVerifier(registry.store()).verify();
      assertThat(report.corrupt()).isEmpty();
      assertThat(report.missing()).isEmpty();
      assertThat(images).hasSize(PUSHERS * IMAGES_EACH);
      for (Image image : images) {
        assertPulls(http, image);
      }
    }
  }

  /**
   * Pushes blobs then manifest as a client does, and starts over when the collector won a race
   * (a blob swept between its upload and the manifest PUT is refused, never left dangling).
   */
  private static Image pushRetrying(RegistryHttp http, String repo, String tag,
      AtomicInteger retries) {
    byte[] config = ("{\"os\":\"linux\",\"repo\":\"" + repo + "\",\"tag\":\"" + tag + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] layer = (repo + ":" + tag + " layer").getBytes(StandardCharsets.UTF_8);
    byte[] manifest = RegistryHttp.imageManifest(config, List.of(BASE_LAYER, layer), null, null,
        Map.of());
    for (int attempt = 0; attempt < 500; attempt++) {
      if (post(http, repo, config) && post(http, repo, BASE_LAYER) && post(http, repo, layer)
          && http.send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest,
              "Content-Type", MediaType.OCI_MANIFEST).statusCode() == 201) {
        return new Image(repo, tag, manifest, List.of(config, BASE_LAYER, layer));
      }
      retries.incrementAndGet();
    }
    throw new AssertionError("could not push " + repo + ":" + tag + " in 500 attempts");
  }

  private static boolean post(RegistryHttp http, String repo, byte[] blob) {
    return http.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(blob),
        blob).statusCode() == 201;
  }

  private static void assertPulls(RegistryHttp http, Image image) {
    HttpResponse<byte[]> m = http.get("/v2/" + image.repo() + "/manifests/" + image.tag());
    assertThat(m.statusCode()).as("%s:%s %s", image.repo(), image.tag(), body(m)).isEqualTo(200);
    assertThat(m.body()).isEqualTo(image.manifest());
    for (byte[] blob : image.blobs()) {
      HttpResponse<byte[]> b = http.get("/v2/" + image.repo() + "/blobs/" + Digest.sha256(blob));
      assertThat(b.statusCode()).as("blob of %s:%s", image.repo(), image.tag()).isEqualTo(200);
      assertThat(b.body()).isEqualTo(blob);
    }
  }

  private static void awaitStatus(RegistryHttp http, String path, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (http.head(path).statusCode() != status) {
      assertThat(System.nanoTime()).as("waiting for %s to answer %d", path, status)
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
