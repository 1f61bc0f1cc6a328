package dev.refit.registry.testkit;

import dev.refit.registry.server.Mount;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/**
 * Test kit: a real {@link RegistryServer} on a free port (port 0) over a store in a test's temp
 * directory. Tests call it from their own thread, so the blocking waits here never run on an
 * event loop. Not thread-safe; one per test.
 *
 * <pre>{@code
 * try (InProcessRegistry registry = InProcessRegistry.start(tempDir)) {
 *   HttpClient.newHttpClient().send(GET(registry.baseUrl() + "/v2/"), ...);
 * }
 * }</pre>
 */
public final class InProcessRegistry implements AutoCloseable {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final RegistryServer server;
  private Path ownedRoot;

  private InProcessRegistry(Vertx vertx, boolean ownsVertx, RegistryServer server) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.server = server;
  }

  /** Defaults over a fresh temporary directory, deleted again by {@link #close()}. */
  public static InProcessRegistry start() {
    Path root;
    try {
      root = Files.createTempDirectory("refit-registry-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary registry root", e);
    }
    InProcessRegistry registry = start(root);
    registry.ownedRoot = root;
    return registry;
  }

  /** Defaults (loopback, no auth) with the store under {@code root}. */
  public static InProcessRegistry start(Path root) {
    return start(RegistryConfig.defaults(root));
  }

  /** {@code config} as given, except that the port is always 0 (a free one). */
  public static InProcessRegistry start(RegistryConfig config) {
    Vertx vertx = Vertx.vertx();
    try {
      return new InProcessRegistry(vertx, true, await(RegistryServer.start(vertx, config.withPort(0))));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** {@code config} on a free port, also serving {@code mount} under its prefix. */
  public static InProcessRegistry start(RegistryConfig config, Mount mount) {
    Vertx vertx = Vertx.vertx();
    try {
      return new InProcessRegistry(vertx, true,
          await(RegistryServer.start(vertx, config.withPort(0), mount)));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** On a caller-owned Vert.x (not closed by {@link #close()}). */
  public static InProcessRegistry start(Vertx vertx, RegistryConfig config) {
    return new InProcessRegistry(vertx, false, await(RegistryServer.start(vertx, config.withPort(0))));
  }

  /** {@code http://127.0.0.1:<port>} (https when TLS is configured), no trailing slash. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** {@code 127.0.0.1:<port>}, the registry host as image references spell it. */
  public String hostPort() {
    return server.config().host() + ":" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  public FsStore store() {
    return server.store();
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
      await(server.stop());
    } finally {
      if (ownsVertx) {
        await(vertx.close());
      }
      if (ownedRoot != null) {
        deleteTree(ownedRoot);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete temporary registry root " + root, e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("registry did not start or stop within 60 s", e);
    }
  }
}
