package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a plain blocking JDK HTTP client speaking the distribution protocol to a registry
 * under test, plus builders for small manifests. Not thread-safe.
 */
final class RegistryHttp {
  private final HttpClient client;
  private final String base;
  private String authorization;

  /** HTTP/1.1, as Docker, containerd and skopeo speak to registries. */
  RegistryHttp(String base) {
    this(base, HttpClient.Version.HTTP_1_1);
  }

  RegistryHttp(String base, HttpClient.Version version) {
    this(base, HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build());
  }

  RegistryHttp(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  RegistryHttp withBasicAuth(String user, String password) {
    RegistryHttp copy = new RegistryHttp(base, client);
    copy.authorization = "Basic " + java.util.Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  HttpResponse<byte[]> send(String method, String path, BodyPublisher body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return client.send(b.build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
    return send(method, path, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body),
        headers);
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, (byte[]) null, headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) {
    return send("HEAD", path, (byte[]) null, headers);
  }

  HttpResponse<byte[]> delete(String path) {
    return send("DELETE", path, (byte[]) null);
  }

  /** Monolithic push (POST ?digest=); asserts 201. */
  Digest pushBlob(String repo, byte[] content) {
    Digest digest = Digest.sha256(content);
    HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
        "Content-Type", "application/octet-stream");
    assertThat(r.statusCode()).as("blob push: %s", body(r)).isEqualTo(201);
    return digest;
  }

  /** PUT manifest; asserts 201 and returns the digest the registry reported. */
  Digest pushManifest(String repo, String reference, byte[] manifest, String mediaType) {
    HttpResponse<byte[]> r = send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest,
        "Content-Type", mediaType);
    assertThat(r.statusCode()).as("manifest push: %s", body(r)).isEqualTo(201);
    return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  /** Pushes a config and one layer to {@code repo}, returns an OCI image manifest for them. */
  byte[] pushSmallImage(String repo, String seed) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer-" + seed).getBytes(StandardCharsets.UTF_8);
    pushBlob(repo, config);
    pushBlob(repo, layer);
    return imageManifest(config, List.of(layer), null, null, Map.of());
  }

  static byte[] imageManifest(byte[] config, List<byte[]> layers, JsonObject subject,
      String artifactType, Map<String, String> annotations) {
    JsonArray layerArray = new JsonArray();
    for (byte[] layer : layers) {
      layerArray.add(descriptor(MediaType.OCI_LAYER, layer));
    }
    JsonObject m = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", MediaType.OCI_MANIFEST)
        .put("config", descriptor(MediaType.OCI_CONFIG, config))
        .put("layers", layerArray);
    if (artifactType != null) {
      m.put("artifactType", artifactType);
    }
    if (subject != null) {
      m.put("subject", subject);
    }
    if (!annotations.isEmpty()) {
      m.put("annotations", new JsonObject(Map.copyOf(annotations)));
    }
    return m.encode().getBytes(StandardCharsets.UTF_8);
  }

  static JsonObject descriptor(String mediaType, byte[] content) {
    return new JsonObject()
        .put("mediaType", mediaType)
        .put("digest", Digest.sha256(content).toString())
        .put("size", content.length);
  }

  static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(body(r));
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Asserts status, the spec error code in the JSON body, and the API version header. */
  static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as("status of %s", body(r)).isEqualTo(status);
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    if (!"HEAD".equals(r.request().method())) {
      JsonObject error = json(r).getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("code")).isEqualTo(code);
      assertThat(error.getString("message")).isNotBlank();
      assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
    }
  }
}
