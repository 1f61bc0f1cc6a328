package dev.refit.pipeline.ui;

import dev.refit.pipeline.diff.StoreDiffs;
import dev.refit.registry.server.Mount;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The read-only web view of the store {@code refit registry serve} serves, mounted at
 * {@value #PREFIX}/ behind the registry's authentication: the page ({@link UiAssets}) and its JSON
 * API under {@value #PREFIX}/api/. Routes run on the server's event loop; store and cache reads
 * run on the worker pool {@value #POOL_NAME}, diffs on {@value StoreDiffs#POOL}.
 */
public final class WebUi implements Mount {
  public static final String PREFIX = "/ui";
  static final String POOL_NAME = "refit-ui";
  private static final int POOL_SIZE = 4;
  /** Diffs inflate layers: CPU-bound, so fewer at once than store reads. */
  private static final int DIFF_POOL_SIZE = 2;
  private static final System.Logger LOG = System.getLogger(WebUi.class.getName());

  private final Path cacheDir;
  private WorkerExecutor pool;
  private WorkerExecutor diffPool;
  private ImageDiffs diffs;

  private WebUi(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /**
   * The web view; {@code cacheDir} holds the layer indexes its diffs read and the last prepare
   * report (shown when the served store is {@code cacheDir/registry}).
   */
  public static WebUi of(Path cacheDir) {
    return new WebUi(cacheDir.toAbsolutePath().normalize());
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public Handler<HttpServerRequest> open(Vertx vertx, FsStore store) {
    pool = vertx.createSharedWorkerExecutor(POOL_NAME, POOL_SIZE);
    diffPool = vertx.createSharedWorkerExecutor(StoreDiffs.POOL, DIFF_POOL_SIZE);
    UiAssets assets = UiAssets.load();
    StoreBrowser browser = new StoreBrowser(store);
    diffs = ImageDiffs.open(store, browser, cacheDir);
    ReportView report = ReportView.of(store.root(), cacheDir);
    Router router = Router.router(vertx);
    // One route for both: vertx-web matches "/ui" and "/ui/" alike. Relative links need the slash.
    router.get(PREFIX).handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        asset(ctx, assets, "index.html");
      } else {
        ctx.redirect(PREFIX + "/");
      }
    });
    router.get(PREFIX + "/api/repositories").handler(ctx -> json(ctx,
        () -> browser.repositories(paging(ctx))));
    router.get(PREFIX + "/api/tags").handler(ctx -> json(ctx,
        () -> browser.tags(ctx.request().getParam("repo"), paging(ctx))));
    router.get(PREFIX + "/api/image").handler(ctx -> json(ctx,
        () -> browser.image(ctx.request().getParam("repo"), ctx.request().getParam("ref"))));
    router.get(PREFIX + "/api/diff").handler(ctx -> json(ctx, diffPool,
        () -> diffs.againstBase(ctx.request().getParam("repo"), ctx.request().getParam("ref"))));
    router.get(PREFIX + "/api/report").handler(ctx -> json(ctx, report::read));
    router.route(PREFIX + "/api/*").handler(ctx -> fail(ctx,
        UiException.notFound("no web view API at " + ctx.normalizedPath())));
    router.get(PREFIX + "/:asset").handler(ctx -> asset(ctx, assets, ctx.pathParam("asset")));
    router.route().handler(ctx -> fail(ctx, UiException.notFound("nothing here; the web view is at " + PREFIX + "/")));
    return router;
  }

  @Override
  public Future<Void> close() {
    if (pool == null) {
      return Future.succeededFuture();
    }
    return diffPool.close().eventually(() -> pool.executeBlocking(() -> {
      diffs.close();
      return null;
    }, false)).eventually(() -> pool.close());
  }

  private static Paging paging(RoutingContext ctx) {
    return Paging.of(ctx.request().getParam("n"), ctx.request().getParam("last"));
  }

  /** Runs {@code read} on the store pool and answers its JSON, or the failure. */
  private void json(RoutingContext ctx, Callable<JsonObject> read) {
    json(ctx, pool, read);
  }

  private static void json(RoutingContext ctx, WorkerExecutor on, Callable<JsonObject> read) {
    on.executeBlocking(read, false).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      headers(ctx.response(), "application/json").end(ar.result().toBuffer());
    });
  }

  private static void asset(RoutingContext ctx, UiAssets assets, String name) {
    UiAssets.Asset asset = assets.get(name).orElse(null);
    if (asset == null) {
      fail(ctx, UiException.notFound("no such file in the web view: " + name));
      return;
    }
    headers(ctx.response(), asset.contentType()).end(asset.bytes());
  }

  /** {@code {"error": message}} with the failure's status; other failures are 500, logged. */
  private static void fail(RoutingContext ctx, Throwable failure) {
    int status = 500;
    String message = "the store could not be read; see the server's log";
    if (failure instanceof UiException ui) {
      status = ui.status();
      message = ui.getMessage();
    } else {
      LOG.log(System.Logger.Level.WARNING, "web view request " + ctx.request().uri() + " failed", failure);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    headers(ctx.response().setStatusCode(status), "application/json")
        .end(new JsonObject().put("error", message).toBuffer());
  }

  private static HttpServerResponse headers(HttpServerResponse response, String contentType) {
    return response.putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
  }
}
