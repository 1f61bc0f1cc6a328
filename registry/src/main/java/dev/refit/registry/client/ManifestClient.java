package dev.refit.registry.client;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Fetches, checks and pushes manifests as exact bytes. Thread-safe.
 *
 * <p>distribution-spec "Pulling manifests": every manifest type we understand is listed in
 * {@code Accept}. A manifest fetched by digest must hash to it; one fetched by tag must hash to
 * the {@code Docker-Content-Digest} header when the registry sends one. Hashes are computed over
 * the received bytes, never over a re-serialisation.
 */
final class ManifestClient {
  /** distribution's default manifest limit; bigger answers are refused rather than buffered. */
  static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;
  private static final String ACCEPT = String.join(", ", MediaType.MANIFEST_TYPES);

  private final RegistryHttp http;
  private final String baseUrl;

  ManifestClient(RegistryHttp http, String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl;
  }

  Future<RawManifest> get(String repo, String reference) {
    HttpCall get = HttpCall.of(HttpMethod.GET, url(repo, reference), List.of(Scopes.pull(repo)), 200)
        .withHeader("Accept", ACCEPT);
    return http.send(get).compose(resp -> {
      String headerDigest = resp.getHeader("Docker-Content-Digest");
      String contentType = resp.getHeader("Content-Type");
      return readBody(resp, get).map(body -> verify(get, reference, headerDigest, contentType, body));
    });
  }

  /**
   * The image for {@code platform}: an index (manifest list) is resolved to its matching child,
   * fetched by digest; an image manifest is returned as is.
   */
  Future<RawManifest> get(String repo, String reference, Platform platform) {
    return get(repo, reference).compose(raw -> {
      if (!(ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Index index)) {
        return Future.succeededFuture(raw);
      }
      Optional<Descriptor> match = index.forPlatform(platform);
      if (match.isEmpty()) {
        return Future.failedFuture(new RegistryClientException("no image for platform " + platform + " in "
            + url(repo, reference) + "; it offers " + index.manifests().stream()
                .map(d -> String.valueOf(d.platform())).toList()));
      }
      return get(repo, match.get().digest().toString());
    });
  }

  /** The manifest's descriptor from a HEAD, or empty when the registry has no such manifest. */
  Future<Optional<Descriptor>> head(String repo, String reference) {
    return head(repo, reference, null).map(found -> found.map(ManifestHead::descriptor));
  }

  /**
   * A HEAD with the validators the registry sent; with {@code ifNoneMatch} (an ETag from an
   * earlier answer) the registry may answer 304, see {@link ManifestHead#notModified()}.
   */
  Future<Optional<ManifestHead>> head(String repo, String reference, String ifNoneMatch) {
    HttpCall head = HttpCall.of(HttpMethod.HEAD, url(repo, reference), List.of(Scopes.pull(repo)), 200, 304, 404)
        .withHeader("Accept", ACCEPT);
    if (ifNoneMatch != null) {
      head = head.withHeader("If-None-Match", ifNoneMatch);
    }
    HttpCall call = head;
    return http.send(call).compose(resp -> RegistryHttp.discard(resp).map(v -> {
      if (resp.statusCode() == 404) {
        return Optional.<ManifestHead>empty();
      }
      String etag = resp.getHeader("ETag");
      String lastModified = resp.getHeader("Last-Modified");
      if (resp.statusCode() == 304) {
        return Optional.of(new ManifestHead(null, null, 0, etag != null ? etag : ifNoneMatch,
            lastModified, true));
      }
      String digest = resp.getHeader("Docker-Content-Digest");
      if (digest == null && Digest.isValid(reference)) {
        digest = reference;
      }
      if (digest == null) {
        throw new RegistryClientException(call.describe() + " answered without Docker-Content-Digest;"
            + " fetch the manifest with GET to learn its digest");
      }
      String length = resp.getHeader("Content-Length");
      return Optional.of(new ManifestHead(Digest.parse(digest), baseType(resp.getHeader("Content-Type")),
          length == null ? 0 : Long.parseLong(length), etag, lastModified, false));
    }));
  }

  /**
   * The referrers of {@code subject} through the referrers API (distribution-spec "Listing
   * Referrers"); empty when the registry answers 404, which means it has no such API and the
   * caller falls back to the {@code <alg>-<hex>} tag ("Referrers Tag Schema").
   */
  Future<Optional<List<Descriptor>>> referrers(String repo, Digest subject) {
    HttpCall get = HttpCall.of(HttpMethod.GET, baseUrl + "/v2/" + repo + "/referrers/" + subject,
            List.of(Scopes.pull(repo)), 200, 404)
        .withHeader("Accept", MediaType.OCI_INDEX);
    return http.send(get).compose(resp -> resp.statusCode() == 404
        ? RegistryHttp.discard(resp).map(v -> Optional.<List<Descriptor>>empty())
        : readBody(resp, get).map(body -> Optional.of(Index.parse(body.getBytes()).manifests())));
  }

  /** PUTs the exact bytes under {@code reference} (a tag or the manifest's digest). */
  Future<Digest> put(String repo, String reference, RawManifest manifest) {
    HttpCall put = HttpCall.of(HttpMethod.PUT, url(repo, reference), List.of(Scopes.push(repo)), 201)
        .withHeader("Content-Type", manifest.mediaType())
        .withBody(new RequestBody.Bytes(Buffer.buffer(manifest.bytes())));
    return http.send(put).compose(resp -> RegistryHttp.discard(resp).map(v -> {
      String echoed = resp.getHeader("Docker-Content-Digest");
      if (echoed != null && Digest.isValid(echoed) && !Digest.parse(echoed).equals(manifest.digest())) {
        throw new RegistryClientException(put.describe() + ": registry stored digest " + echoed
            + " but the pushed bytes hash to " + manifest.digest());
      }
      return manifest.digest();
    }));
  }

  private RawManifest verify(HttpCall call, String reference, String headerDigest, String contentType, Buffer body) {
    byte[] bytes = body.getBytes();
    String mediaType = mediaTypeOf(contentType, body);
    String expected = Digest.isValid(reference) ? reference : headerDigest;
    if (expected == null || !Digest.isValid(expected)) {
      return RawManifest.of(bytes, mediaType);
    }
    try {
      return RawManifest.verified(bytes, mediaType, Digest.parse(expected));
    } catch (DigestMismatchException e) {
      throw new RegistryClientException(call.describe() + " returned a manifest that failed verification: "
          + Causes.describe(e), e);
    }
  }

  /** Content-Type without parameters; when it is not a manifest type, the body's mediaType field. */
  private static String mediaTypeOf(String contentType, Buffer body) {
    String type = baseType(contentType);
    if (type != null && MediaType.isManifest(type)) {
      return type;
    }
    try {
      String field = new JsonObject(body).getString("mediaType");
      return field != null ? field : type;
    } catch (RuntimeException e) {
      return type;
    }
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
  }

  private static Future<Buffer> readBody(HttpClientResponse resp, HttpCall call) {
    String length = resp.getHeader("Content-Length");
    if (length != null && Long.parseLong(length) > MAX_MANIFEST_BYTES) {
      return RegistryHttp.discard(resp).compose(v -> Future.failedFuture(new RegistryClientException(
          call.describe() + ": manifest of " + length + " bytes exceeds the " + MAX_MANIFEST_BYTES + "-byte limit")));
    }
    return RegistryHttp.readLimited(resp, MAX_MANIFEST_BYTES, call);
  }

  private String url(String repo, String reference) {
    return baseUrl + "/v2/" + repo + "/manifests/" + reference;
  }
}
