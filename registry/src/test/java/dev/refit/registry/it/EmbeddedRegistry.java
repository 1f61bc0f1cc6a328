package dev.refit.registry.it;

import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * refit's registry server running in this JVM on a free loopback port over a given root, with its
 * own Vert.x instance, for tests that drive it with external clients (docker, skopeo, jib).
 * Blocking (start and close wait for the server). Thread-safe.
 */
public final class EmbeddedRegistry implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final RegistryServer server;

  private EmbeddedRegistry(Vertx vertx, RegistryServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a plain-HTTP, unauthenticated, writable registry on 127.0.0.1 port 0 storing under {@code root}. */
  public static EmbeddedRegistry start(Path root) {
    Vertx vertx = Vertx.vertx();
    try {
      RegistryConfig d = RegistryConfig.defaults(root);
      RegistryConfig config = new RegistryConfig("127.0.0.1", 0, root, null, null, null, false,
          d.maxManifestBytes(), d.maxChunkBytes(), d.requestTimeout(), d.storeOptions());
      return new EmbeddedRegistry(vertx, await(RegistryServer.start(vertx, config), "start registry"));
    } catch (RuntimeException | Error e) {
      await(vertx.close(), "close Vert.x");
      throw e;
    }
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code 127.0.0.1:PORT}, the registry host part of image references. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public RegistryServer server() {
    return server;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      await(server.stop(), "stop registry");
    } finally {
      await(vertx.close(), "close Vert.x");
    }
  }

  /** Waits for a Vert.x future from a test thread (never from an event loop). */
  public static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not finish within " + TIMEOUT_SECONDS + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    }
  }
}
