package dev.refit.registry.it;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Reads manifests and blobs from any OCI distribution registry over plain HTTP with the JDK
 * client, as an independent witness of what a registry serves (refit's own client is what some
 * tests exercise, so it must not also be the judge). Blocking. Thread-safe.
 */
public final class RegistryProbe {
  private static final String ACCEPT_ALL_MANIFESTS = String.join(", ", MediaType.MANIFEST_TYPES);

  private final HttpClient http;
  private final String hostPort;

  private RegistryProbe(String hostPort, HttpClient.Version version) {
    this.hostPort = hostPort;
    this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * A reader for the registry at {@code host:port} speaking HTTP/1.1, as docker, containerd and
   * skopeo do over plain HTTP (none of them attempts an h2c upgrade).
   */
  public static RegistryProbe of(String hostPort) {
    return new RegistryProbe(hostPort, HttpClient.Version.HTTP_1_1);
  }

  /**
   * A reader with the JDK client's default, HTTP/2: over plain HTTP it asks for an h2c upgrade
   * (RFC 7540 section 3.2), which a server may accept or ignore but must not fail on.
   */
  public static RegistryProbe preferringHttp2(String hostPort) {
    return new RegistryProbe(hostPort, HttpClient.Version.HTTP_2);
  }

  /**
   * Pushes a small blob monolithically (distribution-spec "POST then PUT") and returns its
   * digest; for tests that need content without involving refit's client.
   */
  public Digest pushBlob(String repository, byte[] bytes) {
    Digest digest = Digest.sha256(bytes);
    HttpResponse<Void> post = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    requireStatus(post, 202, "POST upload to " + repository);
    String location = post.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError("upload POST without Location"));
    URI target = URI.create("http://" + hostPort).resolve(location);
    String query = (target.getRawQuery() == null ? "" : target.getRawQuery() + "&") + "digest=" + digest;
    URI put = URI.create(target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath() + "?" + query);
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(put).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
    requireStatus(r, 201, "PUT blob " + digest + " to " + repository);
    return digest;
  }

  /** A manifest as served: the exact bytes, Content-Type and Docker-Content-Digest header. */
  public record Served(byte[] body, String contentType, Digest headerDigest) {
    /** The digest of the bytes actually received. */
    public Digest computedDigest() {
      return Digest.sha256(body);
    }
  }

  /** HEAD /v2/REPO/manifests/REF: the Docker-Content-Digest header (distribution-spec "Pulling manifests"). */
  public Digest headManifest(String repository, String reference) {
    HttpResponse<Void> r = send(manifestRequest(repository, reference)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    requireStatus(r, 200, "HEAD manifest " + repository + ":" + reference);
    return Digest.parse(r.headers().firstValue("Docker-Content-Digest")
        .orElseThrow(() -> new AssertionError("HEAD manifest without Docker-Content-Digest")));
  }

  /** GET /v2/REPO/manifests/REF accepting every manifest type refit knows. */
  public Served getManifest(String repository, String reference) {
    HttpResponse<byte[]> r = send(manifestRequest(repository, reference).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    requireStatus(r, 200, "GET manifest " + repository + ":" + reference);
    return new Served(r.body(), r.headers().firstValue("Content-Type").orElse(null),
        r.headers().firstValue("Docker-Content-Digest").map(Digest::parse).orElse(null));
  }

  /** Streams GET /v2/REPO/blobs/DIGEST through SHA-256 and returns the digest of what arrived. */
  public Digest blobDigest(String repository, Digest digest) {
    HttpRequest request = HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest))
        .timeout(Duration.ofMinutes(5)).GET().build();
    HttpResponse<InputStream> r = send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      requireStatus(r, 200, "GET blob " + repository + "@" + digest);
      MessageDigest sha = Digest.Algorithm.SHA256.newHasher();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return Digest.of(Digest.Algorithm.SHA256, sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("reading blob " + digest + " from " + hostPort, e);
    }
  }

  /** GET /v2/: the registry's API-version check, true when it answers 200. */
  public boolean ping() {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/v2/")).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest.Builder manifestRequest(String repository, String reference) {
    return HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", ACCEPT_ALL_MANIFESTS);
  }

  private URI uri(String path) {
    return URI.create("http://" + hostPort + path);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.uri(), e);
    }
  }

  private static void requireStatus(HttpResponse<?> r, int expected, String what) {
    if (r.statusCode() != expected) {
      Object body = r.body();
      if (body instanceof InputStream in) {
        try (in) {
          body = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
          body = "(unreadable: " + e.getMessage() + ")";
        }
      } else if (body instanceof byte[] b) {
        body = new String(b, java.nio.charset.StandardCharsets.UTF_8);
      }
      throw new AssertionError(what + ": expected HTTP " + expected + ", got " + r.statusCode() + " " + body);
    }
  }
}
