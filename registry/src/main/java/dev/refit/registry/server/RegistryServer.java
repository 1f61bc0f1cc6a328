package dev.refit.registry.server;

import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.GarbageCollector;
import dev.refit.registry.store.fs.StoreLock;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embedded OCI distribution-spec v1.1 registry over a filesystem store: starts the HTTP(S)
 * server, the worker pool for blocking store calls, the upload-expiry sweeper and the optional
 * periodic garbage collector, and stops them.
 * Thread-safe.
 *
 * <p>Requests are served on one event loop; all store work runs on the shared worker pool
 * {@value Worker#POOL_NAME}.
 */
public final class RegistryServer {
  private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
  private static final int WORKER_POOL_SIZE = 16;
  /**
   * Largest piece the HTTP/1.1 decoder cuts a request body into. Netty's default (8 KiB) split
   * each socket read (up to 64 KiB) into several buffers, each passing the whole pipeline and
   * the upload queue; with this, one read is one buffer. Bodies are still never held whole.
   */
  private static final int MAX_BODY_CHUNK = 256 * 1024;
  /** How long {@link #stop} lets a request in progress finish before its connection is cut. */
  static final Duration STOP_GRACE = Duration.ofMillis(500);

  private final Vertx vertx;
  private final RegistryConfig config;
  private final FsStore store;
  private final StoreLock lock;
  private final Worker worker;
  private final HttpServer server;
  private final Mount mount;
  private final long sweeperTimer;
  private final long gcTimer;

  private RegistryServer(Vertx vertx, RegistryConfig config, Setup setup, Worker worker,
      HttpServer server) {
    this.vertx = vertx;
    this.config = config;
    this.store = setup.store();
    this.lock = setup.lock();
    this.mount = setup.mount();
    this.worker = worker;
    this.server = server;
    this.sweeperTimer = startSweeper();
    this.gcTimer = startGc();
  }

  private record Setup(StoreLock lock, FsStore store, BasicAuth auth, Mount mount,
      Handler<HttpServerRequest> mounted) {}

  /** Opens (or creates) the store under {@code config.root()} and starts listening. */
  public static Future<RegistryServer> start(Vertx vertx, RegistryConfig config) {
    return start(vertx, config, null);
  }

  /**
   * As {@link #start(Vertx, RegistryConfig)}, also serving {@code mountOrNull} under its prefix,
   * behind the same authentication.
   */
  public static Future<RegistryServer> start(Vertx vertx, RegistryConfig config, Mount mountOrNull) {
    Worker worker = new Worker(vertx.createSharedWorkerExecutor(Worker.POOL_NAME, WORKER_POOL_SIZE));
    return worker
        .run(() -> {
          BasicAuth auth = config.htpasswd() == null ? null
              : BasicAuth.load(config.htpasswd()).withThrottle(config.clientLimits());
          StoreLock lock = StoreLock.acquire(config.root());
          try {
            FsStore store = FsStore.open(config.root(), config.storeOptions());
            return new Setup(lock, store, auth, mountOrNull,
                mountOrNull == null ? null : mountOrNull.open(vertx, store));
          } catch (RuntimeException e) {
            lock.close();
            throw e;
          }
        })
        .compose(setup -> {
          Router router = new Router(worker, setup.auth(), config.readOnly(),
              new BlobHandlers(worker, setup.store(), setup.store()),
              new UploadHandlers(worker, setup.store(), setup.store(), config.maxChunkBytes()),
              new ManifestHandlers(worker, setup.store(), setup.store(), config.maxManifestBytes()),
              new ListingHandlers(worker, setup.store(), setup.store()),
              new ReferrerHandlers(worker, setup.store()),
              new AdminHandlers(worker, new GarbageCollector(setup.store())),
              setup.mount(), setup.mounted());
          return vertx.createHttpServer(options(config))
              .connectionHandler(new ConnectionLimiter(config.clientLimits().maxConnectionsPerClient()))
              .requestHandler(router)
              .listen()
              .recover(err -> {
                setup.lock().close();
                return Future.failedFuture(new IllegalStateException(
                    "registry cannot listen on " + config.host() + ":" + config.port() + ": "
                        + err.getMessage() + " (is the port in use? try another --listen)", err));
              })
              .compose(server -> worker.run(() -> {
                // Lets 'registry gc' find this server and ask it to collect (AdminHandlers).
                setup.lock().advertise(adminUrl(config, server.actualPort()), setup.auth() != null);
                return server;
              }).onFailure(err -> server.close().onComplete(ar -> setup.lock().close())))
              .map(server -> new RegistryServer(vertx, config, setup, worker, server));
        })
        .onFailure(err -> {
          worker.close();
          if (mountOrNull != null) {
            mountOrNull.close();
          }
        });
  }

  /** Where a local client reaches this server: loopback when it listens on every address. */
  static String adminUrl(RegistryConfig config, int port) {
    String host = config.host();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (config.tls() ? "https://" : "http://") + host + ":" + port;
  }

  private static HttpServerOptions options(RegistryConfig config) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHandle100ContinueAutomatically(false) // see Bodies: 100 only once a body is wanted
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setMaxChunkSize(MAX_BODY_CHUNK);
    if (config.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tlsCert().toString())
          .setKeyPath(config.tlsKey().toString()));
    }
    return options;
  }

  /**
   * Periodically removes abandoned uploads. The period is half the upload expiry (between 1 s and
   * 10 min), so an upload is gone at most 1.5 expiries after its last write.
   */
  private long startSweeper() {
    Duration expiry = config.storeOptions().uploadExpiry();
    long period = Math.max(1000, Math.min(600_000, expiry.toMillis() / 2));
    AtomicBoolean running = new AtomicBoolean();
    return vertx.setPeriodic(period, id -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      worker.run(store::expireUploads)
          .onFailure(err -> LOG.log(System.Logger.Level.WARNING,
              "expiring abandoned uploads failed: " + err.getMessage(), err))
          .onComplete(ar -> running.set(false));
    });
  }

  /**
   * Runs the garbage collector every {@link StoreOptions#gcInterval()}, if set, on the worker
   * pool while requests go on: its locking and grace period are what make that safe (see
   * {@link GarbageCollector}). A run that fails (a corrupt manifest stops it before it removes
   * anything) is logged, and the next tick tries again. Returns -1 when disabled.
   */
  private long startGc() {
    Duration interval = config.storeOptions().gcInterval();
    if (interval.isZero()) {
      return -1;
    }
    GarbageCollector gc = new GarbageCollector(store);
    AtomicBoolean running = new AtomicBoolean();
    return vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      worker.run(() -> gc.run(false))
          .onSuccess(report -> LOG.log(System.Logger.Level.INFO, () -> "gc removed "
              + report.removedBlobs().size() + " blob(s), " + report.bytesFreed() + " byte(s), "
              + report.unlinked().size() + " dangling link(s)"))
          .onFailure(err -> LOG.log(System.Logger.Level.WARNING,
              "garbage collection failed: " + err.getMessage()))
          .onComplete(ar -> running.set(false));
    });
  }

  /** The port actually bound; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** {@code http://host:port} or {@code https://host:port}. */
  public String baseUrl() {
    return (config.tls() ? "https://" : "http://") + config.host() + ":" + actualPort();
  }

  public RegistryConfig config() {
    return config;
  }

  public FsStore store() {
    return store;
  }

  /**
   * Stops accepting, closes idle keep-alive connections at once, gives each request in progress
   * up to {@link #STOP_GRACE} to answer (one still streaming its body is cut then, and its upload
   * stays resumable until it expires), and releases the store lock. Nothing acknowledged is lost:
   * every write is fsynced before its 2xx.
   */
  public Future<Void> stop() {
    vertx.cancelTimer(sweeperTimer);
    if (gcTimer >= 0) {
      vertx.cancelTimer(gcTimer);
    }
    return server.shutdown(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .eventually(() -> mount == null ? Future.succeededFuture() : mount.close())
        .eventually(() -> worker.close()).eventually(() -> {
      lock.close();
      return Future.succeededFuture();
    });
  }
}
