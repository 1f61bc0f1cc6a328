package dev.refit.pipeline.cli;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.ui.WebUi;
import dev.refit.registry.server.ClientLimits;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit registry serve}: runs the embedded OCI distribution registry in the foreground
 * until interrupted. Blocking (the main thread waits; Vert.x does the serving).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the OCI distribution API (v1.1) from a local content-addressed store.",
      "Listens on 127.0.0.1:8787 by default, like the Apex undercloud registry.",
      "Also serves a read-only web view of the store at /ui/, behind the same auth (--no-ui: off)."
    })
final class RegistryServeCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(
      names = "--listen",
      converter = Listen.Converter.class,
      defaultValue = "127.0.0.1:8787",
      description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE}); port 0 picks a free one.")
  Listen listen;

  @Option(
      names = "--root",
      description = "Store directory (default: <cache>/registry).")
  Path root;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Cache directory: the web view's layer indexes and last prepare report "
          + "(default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--no-ui", description = "Do not serve the read-only web view at /ui/.")
  boolean noUi;

  @Option(names = "--htpasswd", description = "htpasswd file (bcrypt entries); requires auth for every request.")
  Path htpasswd;

  @Option(names = "--tls-cert", description = "PEM certificate chain; serve HTTPS (needs --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key for --tls-cert.")
  Path tlsKey;

  @Option(names = "--read-only", description = "Refuse every write (push, delete).")
  boolean readOnly;

  @Option(
      names = "--max-manifest-bytes",
      defaultValue = "8388608",
      description = "Largest manifest accepted, in bytes (default: ${DEFAULT-VALUE}).")
  long maxManifestBytes;

  @Option(
      names = "--max-connections-per-client",
      defaultValue = "128",
      description = "Connections one client address may hold open; more are closed at once "
          + "(default: ${DEFAULT-VALUE}). Every local tool shares 127.0.0.1.")
  int maxConnectionsPerClient;

  @Option(
      names = "--idle-timeout",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Close a connection that sends and receives nothing for this long "
          + "(default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--upload-expiry",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description = "Abandoned uploads older than this are removed (default: ${DEFAULT-VALUE}).")
  Duration uploadExpiry;

  @Option(
      names = "--gc-grace",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description = "Unreferenced blobs younger than this survive garbage collection (default: ${DEFAULT-VALUE}).")
  Duration gcGrace;

  @Option(names = "--gc-interval", converter = DurationConverter.class,
      description = "Run garbage collection in the server this often, e.g. 1h (default: never).")
  Duration gcInterval;

  @Override
  public Integer call() throws Exception {
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    Path storeRoot = root != null ? root.toAbsolutePath().normalize() : cache.resolve("registry");
    checkTls();
    checkLimits();
    if (htpasswd != null && !Files.isReadable(htpasswd)) {
      throw new RefitException("cannot read htpasswd file " + htpasswd,
          "create it with: htpasswd -Bc FILE USER", ExitCode.FAILED);
    }
    RegistryConfig config =
        RegistryConfig.defaults(storeRoot)
            .withHost(listen.host())
            .withPort(listen.port())
            .withHtpasswd(htpasswd)
            .withTls(tlsCert, tlsKey)
            .withReadOnly(readOnly)
            .withMaxManifestBytes(maxManifestBytes)
            .withRequestTimeout(idleTimeout)
            .withClientLimits(ClientLimits.defaults().withMaxConnectionsPerClient(maxConnectionsPerClient))
            .withStoreOptions(new StoreOptions(uploadExpiry, gcGrace,
                gcInterval == null ? Duration.ZERO : gcInterval));

    Vertx vertx = Vertx.vertx();
    RegistryServer server;
    try {
      server = RegistryServer.start(vertx, config, noUi ? null : WebUi.of(cache))
          .toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      vertx.close();
      Throwable cause = Causes.unwrap(e);
      String hint = cause instanceof RefitException refit && refit.hint() != null ? refit.hint()
          : "pick a free port with --listen HOST:PORT, or check --root permissions";
      throw new RefitException("cannot start the registry on " + listen.host() + ":" + listen.port()
          + ": " + Causes.describe(cause), hint, ExitCode.FAILED, cause);
    }
    String scheme = tlsCert != null ? "https" : "http";
    global.out().printf(
        "refit registry listening on %s://%s:%d (root %s%s)%n",
        scheme, listen.host(), server.actualPort(), storeRoot, readOnly ? ", read-only" : "");
    if (!noUi) {
      global.out().printf("web view: %s://%s:%d%s/%n", scheme, listen.host(), server.actualPort(), WebUi.PREFIX);
    }
    global.out().flush();

    ServeStop.install().awaitAndStop(server, vertx);
    return 0;
  }

  private void checkLimits() {
    if (maxConnectionsPerClient <= 0) {
      throw new RefitException("--max-connections-per-client must be positive, got "
          + maxConnectionsPerClient, "a push needs a handful; the default is 128", ExitCode.FAILED);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new RefitException("--idle-timeout must be positive, got " + idleTimeout,
          "write it like 30s, 2m or 1h", ExitCode.FAILED);
    }
  }

  private void checkTls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new RefitException("--tls-cert and --tls-key must be given together",
          "pass both PEM files, or neither", ExitCode.FAILED);
    }
    for (Path p : new Path[] {tlsCert, tlsKey}) {
      if (p != null && !Files.isReadable(p)) {
        throw new RefitException("cannot read TLS file " + p, "check the path and permissions",
            ExitCode.FAILED);
      }
    }
  }
}
