package dev.refit.registry.server;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The version check endpoint and the headers every response carries. Event-loop only.
 *
 * <p>distribution-spec "Determining Support" (end-1): {@code GET /v2/} answers 200; the legacy
 * {@code Docker-Distribution-API-Version: registry/2.0} header tells Docker clients which protocol
 * they speak.
 */
final class BaseHandlers {
  static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";

  private BaseHandlers() {}

  static void prepare(HttpServerRequest request) {
    request.response().putHeader(API_VERSION_HEADER, "registry/2.0");
  }

  static Future<Void> ping(HttpServerRequest request) {
    request.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", "2");
    return request.method() == HttpMethod.HEAD ? request.response().end() : request.response().end("{}");
  }
}
