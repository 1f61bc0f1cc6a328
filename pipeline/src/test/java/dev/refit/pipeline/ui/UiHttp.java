package dev.refit.pipeline.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client for the web view, with or without Basic credentials. Immutable. */
record UiHttp(String base, String authorization) {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  static UiHttp of(String base) {
    return new UiHttp(base, null);
  }

  UiHttp withBasicAuth(String user, String password) {
    return new UiHttp(base, "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** GET {@code base + rawPath}; the path is sent as written (no normalisation, no encoding). */
  HttpResponse<String> get(String rawPath) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + rawPath))
        .timeout(Duration.ofSeconds(60)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
