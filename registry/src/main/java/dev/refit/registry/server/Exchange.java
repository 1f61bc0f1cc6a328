package dev.refit.registry.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One routed request: the Vert.x request plus the repository name and the reference (tag,
 * digest or upload id) decoded from its path. Event-loop only.
 */
record Exchange(HttpServerRequest request, String name, String reference) {

  HttpServerResponse response() {
    return request.response();
  }

  boolean isHead() {
    return request.method() == HttpMethod.HEAD;
  }

  /** A decoded query parameter, or null. */
  String query(String key) {
    return request.getParam(key);
  }

  String header(String key) {
    return request.getHeader(key);
  }

  String blobLocation(Object digest) {
    return "/v2/" + name + "/blobs/" + digest;
  }

  String manifestLocation(Object digest) {
    return "/v2/" + name + "/manifests/" + digest;
  }

  String uploadLocation(String uploadId) {
    return "/v2/" + name + "/blobs/uploads/" + uploadId;
  }
}
