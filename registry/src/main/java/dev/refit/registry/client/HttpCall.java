package dev.refit.registry.client;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One logical registry request, before auth, retries and redirects are applied. Immutable.
 *
 * @param scopes token scopes the request needs (distribution token-scope grammar)
 * @param expected statuses handed back to the caller; anything else is an error or a retry
 * @param retryable false for requests that must not be re-sent blindly (a PATCH may have been
 *     partly applied; its caller asks the registry where the upload stands instead)
 */
record HttpCall(
    HttpMethod method,
    String url,
    Map<String, String> headers,
    RequestBody body,
    List<String> scopes,
    Set<Integer> expected,
    boolean retryable) {

  HttpCall {
    headers = Map.copyOf(headers);
    scopes = List.copyOf(scopes);
    expected = Set.copyOf(expected);
  }

  static HttpCall of(HttpMethod method, String url, List<String> scopes, Integer... expected) {
    return new HttpCall(method, url, Map.of(), null, scopes, Set.of(expected), true);
  }

  HttpCall withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpCall(method, url, h, body, scopes, expected, retryable);
  }

  HttpCall withBody(RequestBody value) {
    return new HttpCall(method, url, headers, value, scopes, expected, retryable);
  }

  HttpCall withoutRetries() {
    return new HttpCall(method, url, headers, body, scopes, expected, false);
  }

  boolean replayable() {
    return body == null || body.replayable();
  }

  /** True when a failed attempt may simply be sent again. */
  boolean resendable() {
    return retryable && replayable();
  }

  boolean followsRedirects() {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  String describe() {
    return method + " " + url;
  }
}
