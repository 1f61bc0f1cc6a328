package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client called about 200 times at once from the three kinds of thread that use it: Vert.x
 * worker-pool threads (inside executeBlocking, whose context is an event-loop context), plain
 * threads, and the event loop. Small responses (a config blob, a manifest) are the ones that can
 * end before a late body handler is attached, so those are what the calls read.
 */
class RegistryClientConcurrencyTest {
  private static final int PER_KIND = 70;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** A config blob and a manifest: responses small enough to end in one read. */
  private static final byte[] CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
  private static final Descriptor CONFIG_BLOB =
      Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(CONFIG), CONFIG.length);
  private static final RawManifest MANIFEST = Manifest.of(CONFIG_BLOB, List.of()).toRaw();

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();
  private InProcessRegistry registry;
  private RegistryClient client;

  @BeforeEach
  void start() throws Exception {
    registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    client = RegistryClient.create(vertx, registry.hostPort(), ClientOptions.defaults());
    Path file = Files.write(tmp.resolve("config"), CONFIG);
    Await.result(client.pushBlob("lab/small", CONFIG_BLOB, file, null), TIMEOUT, "push config");
    Await.result(client.putManifest("lab/small", "v1", MANIFEST), TIMEOUT, "put manifest");
  }

  @AfterEach
  void stop() {
    client.close();
    registry.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void calls_fromWorkerPlainAndEventLoopThreads_allCompleteWithTheRightBytes() throws Exception {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("refit-test-work", 8);
    ExecutorService plain = Executors.newFixedThreadPool(8);
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < PER_KIND; i++) {
        Supplier<Future<byte[]>> call = call(i);
        // A worker thread that waits on the client, as the rebuilders and planner do, started
        // from an event loop as prepare's stages are: its context is an event-loop context.
        Promise<byte[]> onWorker = Promise.promise();
        vertx.runOnContext(v -> workers.executeBlocking(() -> Await.result(call.get(), TIMEOUT, "worker call"), false)
            .onComplete(onWorker));
        calls.add(onWorker.future().toCompletionStage().toCompletableFuture());
        calls.add(CompletableFuture.supplyAsync(() -> Await.result(call.get(), TIMEOUT, "plain call"), plain));
        Promise<byte[]> onLoop = Promise.promise();
        vertx.runOnContext(v -> call.get().onComplete(onLoop));
        calls.add(onLoop.future().toCompletionStage().toCompletableFuture());
      }
      int ok = 0;
      for (int i = 0; i < calls.size(); i++) {
        byte[] expected = i / 3 % 2 == 0 ? CONFIG : MANIFEST.bytes();
        assertThat(calls.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
        ok++;
      }
      assertThat(ok).isEqualTo(3 * PER_KIND);
    } finally {
      plain.shutdownNow();
      workers.close();
    }
  }

  @Test
  void await_onAnEventLoop_refusesInsteadOfBlockingIt() throws Exception {
    Promise<String> seen = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        Await.result(client.ping(), TIMEOUT, "ping");
        seen.complete("returned");
      } catch (IllegalStateException e) {
        seen.complete(e.getMessage());
      }
    });
    assertThat(seen.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
        .contains("event loop");
  }

  private Supplier<Future<byte[]>> call(int i) {
    return i % 2 == 0
        ? () -> client.readBlob("lab/small", CONFIG_BLOB.digest(), 1024).map(b -> b.getBytes())
        : () -> client.getManifest("lab/small", "v1").map(RawManifest::bytes);
  }
}
