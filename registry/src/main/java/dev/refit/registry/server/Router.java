package dev.refit.registry.server;

import dev.refit.registry.store.RepositoryName;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point of every request: authenticates, enforces read-only mode, decodes the path, routes
 * it to a handler and sends any failure through {@link FailureWriter}. A request under the
 * optional {@link Mount}'s prefix goes, once authenticated, to the mount's handler. Event-loop
 * only.
 *
 * <p>Repository names contain slashes, so routes are regular expressions over the decoded path,
 * like distribution's {@code v2/routes.go}; the name is whatever precedes the last
 * {@code /blobs/}, {@code /manifests/}, ... and is validated before any handler runs.
 */
final class Router implements Handler<HttpServerRequest> {
  /** One DEBUG line per request; off unless the logging backend enables DEBUG for it. */
  private static final System.Logger ACCESS_LOG = System.getLogger("dev.refit.registry.server.access");

  /** Each endpoint with the methods it answers; a 405 lists them in {@code Allow} (RFC 9110 15.5.6). */
  private enum Route {
    PING(HttpMethod.GET, HttpMethod.HEAD),
    CATALOG(HttpMethod.GET, HttpMethod.HEAD),
    TAGS(HttpMethod.GET, HttpMethod.HEAD),
    MANIFEST(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE),
    UPLOADS(HttpMethod.POST),
    UPLOAD(HttpMethod.GET, HttpMethod.PATCH, HttpMethod.PUT, HttpMethod.DELETE),
    BLOB(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE),
    REFERRERS(HttpMethod.GET, HttpMethod.HEAD),
    ADMIN_GC(HttpMethod.POST, HttpMethod.GET);

    private final List<HttpMethod> methods;

    Route(HttpMethod... methods) {
      this.methods = List.of(methods);
    }

    /** What this endpoint accepts on this server: reads only when it is read-only. */
    List<HttpMethod> allowed(boolean readOnly) {
      return readOnly ? methods.stream().filter(m -> !isWrite(m)).toList() : methods;
    }
  }

  private record Pattern2(Route route, Pattern pattern) {}

  /** Order matters: upload routes before the blob route. Group 1 is the name, group 2 the reference. */
  private static final List<Pattern2> ROUTES = List.of(
      new Pattern2(Route.PING, Pattern.compile("^/v2/?$")),
      new Pattern2(Route.CATALOG, Pattern.compile("^/v2/_catalog$")),
      new Pattern2(Route.TAGS, Pattern.compile("^/v2/(.+)/tags/list()$")),
      new Pattern2(Route.MANIFEST, Pattern.compile("^/v2/(.+)/manifests/([^/]+)$")),
      new Pattern2(Route.UPLOADS, Pattern.compile("^/v2/(.+)/blobs/uploads/?()$")),
      new Pattern2(Route.UPLOAD, Pattern.compile("^/v2/(.+)/blobs/uploads/([^/]+)$")),
      new Pattern2(Route.BLOB, Pattern.compile("^/v2/(.+)/blobs/([^/]+)$")),
      new Pattern2(Route.REFERRERS, Pattern.compile("^/v2/(.+)/referrers/([^/]+)$")),
      new Pattern2(Route.ADMIN_GC, Pattern.compile("^" + AdminHandlers.GC_PATH + "$")));

  private final Worker worker;
  private final BasicAuth auth;
  private final boolean readOnly;
  private final BlobHandlers blobs;
  private final UploadHandlers uploads;
  private final ManifestHandlers manifests;
  private final ListingHandlers listings;
  private final ReferrerHandlers referrers;
  private final AdminHandlers admin;
  private final Mount mount;
  private final Handler<HttpServerRequest> mounted;

  Router(Worker worker, BasicAuth authOrNull, boolean readOnly, BlobHandlers blobs,
      UploadHandlers uploads, ManifestHandlers manifests, ListingHandlers listings,
      ReferrerHandlers referrers, AdminHandlers admin, Mount mountOrNull,
      Handler<HttpServerRequest> mountedOrNull) {
    this.worker = worker;
    this.auth = authOrNull;
    this.readOnly = readOnly;
    this.blobs = blobs;
    this.uploads = uploads;
    this.manifests = manifests;
    this.listings = listings;
    this.referrers = referrers;
    this.admin = admin;
    this.mount = mountOrNull;
    this.mounted = mountedOrNull;
  }

  @Override
  public void handle(HttpServerRequest request) {
    BaseHandlers.prepare(request);
    if (ACCESS_LOG.isLoggable(System.Logger.Level.DEBUG)) {
      long started = System.nanoTime();
      request.response().endHandler(v -> ACCESS_LOG.log(System.Logger.Level.DEBUG,
          () -> request.method() + " " + request.uri() + " -> " + request.response().getStatusCode()
              + " (" + request.response().bytesWritten() + " bytes, "
              + (System.nanoTime() - started) / 1_000_000 + " ms)"));
    }
    if (isWrite(request.method())) {
      request.pause(); // the body is consumed later, after auth and store lookups
    }
    Future<Void> result;
    try {
      result = (auth == null ? Future.<Void>succeededFuture() : auth.check(request, worker))
          .compose(v -> dispatch(request));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.failed()) {
        FailureWriter.write(request, ar.cause());
      } else if (Bodies.withheld(request)) {
        request.connection().close(); // the client never sent the body we did not ask for
      } else if (!request.isEnded()) {
        request.handler(ignored -> {}).resume(); // unread body: drain so keep-alive continues
      }
    });
  }

  private Future<Void> dispatch(HttpServerRequest request) {
    HttpMethod method = request.method();
    String path = decodePath(request.path());
    if (mount != null && mount.covers(path)) {
      mounted.handle(request); // it answers; the registry's routes and read-only rule stay out
      return Future.succeededFuture();
    }
    for (Pattern2 candidate : ROUTES) {
      Matcher m = candidate.pattern().matcher(path);
      if (m.matches()) {
        String name = m.groupCount() > 0 ? m.group(1) : null;
        if (name != null) {
          validateName(name);
        }
        checkMethod(candidate.route(), method);
        return route(candidate.route(), new Exchange(request, name, name == null ? null : m.group(2)));
      }
    }
    throw RegistryException.of(ErrorCode.UNSUPPORTED, "no registry endpoint at " + path)
        .withStatus(404);
  }

  private Future<Void> route(Route route, Exchange ex) {
    HttpMethod method = ex.request().method();
    switch (route) {
      case PING:
        return BaseHandlers.ping(ex.request());
      case CATALOG:
        return listings.catalog(ex);
      case TAGS:
        return listings.tags(ex);
      case MANIFEST:
        if (method == HttpMethod.PUT) {
          return manifests.put(ex);
        }
        return method == HttpMethod.DELETE ? manifests.delete(ex) : manifests.get(ex);
      case UPLOADS:
        return uploads.start(ex);
      case UPLOAD:
        if (method == HttpMethod.PATCH) {
          return uploads.patch(ex);
        }
        if (method == HttpMethod.PUT) {
          return uploads.close(ex);
        }
        return method == HttpMethod.DELETE ? uploads.cancel(ex) : uploads.status(ex);
      case BLOB:
        return method == HttpMethod.DELETE ? blobs.delete(ex) : blobs.get(ex);
      case REFERRERS:
        return referrers.list(ex);
      case ADMIN_GC:
        return admin.gc(ex);
      default:
        throw new IllegalStateException("unrouted " + route);
    }
  }

  private static boolean isWrite(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE;
  }

  /** 405 with {@code Allow} when {@code route} does not take {@code method} on this server. */
  private void checkMethod(Route route, HttpMethod method) {
    List<HttpMethod> allowed = route.allowed(readOnly);
    if (allowed.contains(method)) {
      return;
    }
    String why = readOnly && route.methods.contains(method)
        ? "this registry is read-only; " + method + " is not allowed"
        : method + " is not supported on this endpoint";
    throw RegistryException.of(ErrorCode.UNSUPPORTED, why).withHeader("Allow",
        String.join(", ", allowed.stream().map(HttpMethod::name).toList()));
  }

  /**
   * Percent-decodes the raw path. An encoded {@code /} or {@code \} is refused outright: decoding
   * it would let one path segment smuggle a separator into a repository name (and so into a
   * store path).
   */
  static String decodePath(String raw) {
    if (raw == null || !raw.startsWith("/")) {
      throw nameInvalid(String.valueOf(raw), "request path must be absolute");
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c")) {
      throw nameInvalid(raw, "encoded '/' or '\\' is not allowed in a path");
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw nameInvalid(raw, "malformed percent-encoding");
    }
    if (decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0) {
      throw nameInvalid(raw, "'\\' and NUL are not allowed in a path");
    }
    return decoded;
  }

  /** distribution-spec "name" grammar; also refuses empty, {@code .} and {@code ..} segments. */
  static void validateName(String name) {
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw nameInvalid(name, "empty, '.' and '..' path components are not allowed");
      }
    }
    try {
      RepositoryName.validate(name);
    } catch (RuntimeException e) {
      throw nameInvalid(name, e.getMessage());
    }
  }

  private static RegistryException nameInvalid(String name, String why) {
    return new RegistryException(ErrorCode.NAME_INVALID,
        "invalid repository name '" + name + "': " + why, Map.of("name", name));
  }
}
