package dev.refit.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The conformance suite's wire client: builds distribution-spec requests against one registry
 * with the JDK HTTP client (HTTP/1.1, redirects followed, like the suite's Go client) and returns
 * status, headers and body. Blocking; not thread-safe (one per test class).
 */
final class OciWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String baseUrl;

  OciWire(String baseUrl) {
    this.baseUrl = baseUrl;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** A request to {@code target}: a path below the registry root, or an absolute URL. */
  Call call(String method, String target) {
    return new Call(method, target);
  }

  /** One request under construction. */
  final class Call {
    private final String method;
    private final String target;
    private final List<String> query = new ArrayList<>();
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body;

    private Call(String method, String target) {
      this.method = method;
      this.target = target;
    }

    Call query(String name, String value) {
      query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
          + URLEncoder.encode(value, StandardCharsets.UTF_8));
      return this;
    }

    /**
     * Sets a header. The JDK client computes Content-Length from the body itself and refuses to
     * take it as a header, so the suite's explicit Content-Length headers are implied by the body.
     */
    Call header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Call body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    Reply send() {
      URI uri = URI.create(url());
      HttpRequest.Builder b = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(60))
          .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
      headers.forEach(h -> b.header(h[0], h[1]));
      try {
        var response = client.send(b.build(), BodyHandlers.ofByteArray());
        return new Reply(method + " " + uri, response.statusCode(), response.headers(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(method + " " + uri + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during " + method + " " + uri, e);
      }
    }

    private String url() {
      String url = target.startsWith("http://") || target.startsWith("https://")
          ? target : baseUrl + target;
      if (query.isEmpty()) {
        return url;
      }
      return url + (url.contains("?") ? "&" : "?") + String.join("&", query);
    }
  }

  /** A response, with the request line kept for failure messages. */
  record Reply(String request, int status, HttpHeaders headers, byte[] body) {
    /** The header's first value, or "" when absent (as Go's Header.Get answers). */
    String header(String name) {
      return headers.firstValue(name).orElse("");
    }

    /** Location as a path plus query, whether the registry sent it absolute or relative. */
    String relativeLocation() {
      String location = header("Location");
      if (location.isEmpty()) {
        return location;
      }
      URI uri = URI.create(location);
      if (!uri.isAbsolute()) {
        return location;
      }
      return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(request + ": body is not JSON: " + text(), e);
      }
    }

    @Override
    public String toString() {
      String shown = text();
      return request + " -> " + status + " " + headers.map() + " "
          + (shown.length() > 600 ? shown.substring(0, 600) + "..." : shown);
    }
  }
}
