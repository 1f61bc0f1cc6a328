package dev.refit.registry.client;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Uploads blobs: existence check, cross-repository mount, then a monolithic or chunked upload
 * whose body streams from a file or a one-shot stream. Thread-safe.
 *
 * <p>distribution-spec "Pushing Blobs": POST opens a session (202 + Location); a monolithic
 * upload PUTs the bytes with {@code ?digest=}; a chunked one PATCHes ranges with
 * {@code Content-Range: start-end} and closes with an empty PUT. "Mounting a blob from another
 * repository": {@code POST ?mount=&from=} answers 201 when mounted, or 202 with a session to
 * upload into when the registry declines.
 */
final class BlobPusher {
  private final Vertx vertx;
  private final RegistryHttp http;
  private final String baseUrl;
  private final long chunkSize;
  private final RetryPolicy retry;

  BlobPusher(Vertx vertx, RegistryHttp http, String baseUrl, ClientOptions options) {
    this.vertx = vertx;
    this.http = http;
    this.retry = RetryPolicy.of(options);
    this.baseUrl = baseUrl;
    this.chunkSize = options.chunkSize();
  }

  /** HEAD the blob; its size when the repository has it. */
  Future<Long> exists(String repo, Digest digest) {
    HttpCall head = HttpCall.of(HttpMethod.HEAD, blobUrl(repo, digest), List.of(Scopes.pull(repo)), 200, 404);
    return http.send(head).compose(resp -> RegistryHttp.discard(resp).map(v -> resp.statusCode() == 200
        ? Long.valueOf(resp.getHeader("Content-Length") == null ? -1 : Long.parseLong(resp.getHeader("Content-Length")))
        : null));
  }

  /** Pushes {@code blob} unless present, mounting from {@code mountFrom} (same registry) when given. */
  Future<PushOutcome> push(String repo, Descriptor blob, RequestBody body, String mountFrom) {
    return exists(repo, blob.digest()).compose(size -> {
      if (size != null) {
        return Future.succeededFuture(PushOutcome.EXISTED);
      }
      return startUpload(repo, blob.digest(), mountFrom).compose(location -> location == null
          ? Future.succeededFuture(PushOutcome.MOUNTED)
          : upload(repo, location, blob, body).map(PushOutcome.UPLOADED));
    }).onComplete(ar -> {
      if ((ar.failed() || ar.result() != PushOutcome.UPLOADED) && body instanceof RequestBody.Stream s) {
        drain(s); // unsent: release the producer (e.g. a pooled HTTP connection)
      }
    });
  }

  /** Tries only the mount; a declined mount's session is cancelled. True when mounted. */
  Future<Boolean> mount(String repo, Digest digest, String from) {
    return startUpload(repo, digest, from).compose(location -> {
      if (location == null) {
        return Future.succeededFuture(true);
      }
      HttpCall cancel = HttpCall.of(HttpMethod.DELETE, location, List.of(Scopes.push(repo)), 204, 404);
      return http.send(cancel).compose(RegistryHttp::discard).otherwise(v -> null).map(false);
    });
  }

  /** POSTs a session (or a mount); null when the mount completed, else the upload Location. */
  private Future<String> startUpload(String repo, Digest digest, String mountFrom) {
    String url = baseUrl + "/v2/" + repo + "/blobs/uploads/";
    List<String> scopes = List.of(Scopes.push(repo));
    if (mountFrom != null && !mountFrom.equals(repo)) {
      url += "?mount=" + enc(digest.toString()) + "&from=" + enc(mountFrom);
      scopes = List.of(Scopes.push(repo), Scopes.pull(mountFrom));
    }
    HttpCall post = HttpCall.of(HttpMethod.POST, url, scopes, 201, 202)
        .withBody(new RequestBody.Bytes(Buffer.buffer()));
    String postUrl = url;
    return http.send(post).compose(resp -> RegistryHttp.discard(resp).compose(v -> {
      if (resp.statusCode() == 201) {
        return Future.succeededFuture(null);
      }
      return location(resp, postUrl);
    }));
  }

  private Future<Void> upload(String repo, String location, Descriptor blob, RequestBody body) {
    if (chunkSize > 0 && body instanceof RequestBody.FileRange file && blob.size() > chunkSize) {
      return patchFrom(repo, location, file, 0, 0).compose(last -> put(repo, last, blob.digest(), null));
    }
    return put(repo, location, blob.digest(), body);
  }

  /**
   * PATCHes chunks from {@code offset} on, one after another; completes with the last Location.
   * A failed PATCH is not re-sent blindly (the registry may have kept part of it): the upload's
   * status (distribution-spec "Resuming an upload", GET with 204 + Range) says where to go on.
   */
  private Future<String> patchFrom(String repo, String location, RequestBody.FileRange file, long offset, int failures) {
    if (offset >= file.length()) {
      return Future.succeededFuture(location);
    }
    long length = Math.min(chunkSize, file.length() - offset);
    HttpCall patch = HttpCall.of(HttpMethod.PATCH, location, List.of(Scopes.push(repo)), 202)
        .withHeader("Content-Type", "application/octet-stream")
        .withHeader("Content-Range", offset + "-" + (offset + length - 1))
        .withBody(new RequestBody.FileRange(file.file(), file.offset() + offset, length))
        .withoutRetries();
    return http.send(patch)
        .compose(resp -> RegistryHttp.discard(resp).compose(v -> location(resp, location)))
        .transform(ar -> {
          if (ar.succeeded()) {
            return patchFrom(repo, ar.result(), file, offset + length, 0);
          }
          if (!isTransient(ar.cause()) || !retry.hasAttemptAfter(failures + 1)) {
            return Future.failedFuture(ar.cause());
          }
          long wait = Math.max(1, retry.delayAfter(failures + 1, null, Instant.now()).toMillis());
          return vertx.timer(wait)
              .compose(v -> resumePoint(repo, location, offset, length))
              .compose(at -> patchFrom(repo, at.location(), file, at.offset(), failures + 1));
        });
  }

  private record ResumePoint(String location, long offset) {}

  /** Asks the registry how many bytes of the upload it holds. */
  private Future<ResumePoint> resumePoint(String repo, String location, long chunkStart, long chunkLength) {
    HttpCall status = HttpCall.of(HttpMethod.GET, location, List.of(Scopes.push(repo)), 204);
    return http.send(status).compose(resp -> RegistryHttp.discard(resp).compose(v -> {
      String range = resp.getHeader("Range");
      long end = range == null || !range.matches("(bytes=)?0-\\d+") ? -1 : Long.parseLong(range.substring(range.indexOf('-') + 1));
      // "0-0" means both "nothing" and "one byte" (distribution never reports an empty range).
      long resumeAt = end < 0 || (end == 0 && chunkStart == 0) ? 0 : end + 1;
      if (resumeAt < chunkStart || resumeAt > chunkStart + chunkLength) {
        return Future.failedFuture(new RegistryClientException(status.describe() + " reports Range '" + range
            + "' but chunk " + chunkStart + "-" + (chunkStart + chunkLength - 1) + " was being sent;"
            + " the upload cannot be resumed, push again"));
      }
      return location(resp, location).map(next -> new ResumePoint(next, resumeAt));
    }));
  }

  /** Registry rejections (4xx other than 408/429) are final; anything else may pass on retry. */
  private static boolean isTransient(Throwable e) {
    return !(e instanceof RegistryResponseException r) || RetryPolicy.isRetryableStatus(r.status());
  }

  private Future<Void> put(String repo, String location, Digest digest, RequestBody body) {
    String url = location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString());
    HttpCall put = HttpCall.of(HttpMethod.PUT, url, List.of(Scopes.push(repo)), 201)
        .withHeader("Content-Type", "application/octet-stream")
        .withBody(body == null ? new RequestBody.Bytes(Buffer.buffer()) : body);
    return http.send(put).compose(RegistryHttp::discard);
  }

  private static void drain(RequestBody.Stream s) {
    if (s.stream() instanceof HttpClientResponse resp) {
      resp.request().reset(); // cheaper than downloading a blob nobody needs
      return;
    }
    try {
      s.stream().exceptionHandler(e -> {});
      s.stream().handler(b -> {});
      s.stream().resume();
    } catch (IllegalStateException alreadyConsumed) {
      // The stream was (partly) sent before the failure; its pipe owns it.
    }
  }

  private static Future<String> location(HttpClientResponse resp, String requestUrl) {
    String location = resp.getHeader("Location");
    if (location == null) {
      return Future.failedFuture(new RegistryClientException(
          requestUrl + " answered " + resp.statusCode() + " without a Location header; the registry"
              + " does not follow the distribution upload protocol"));
    }
    return Future.succeededFuture(RegistryHttp.resolve(requestUrl, location));
  }

  private String blobUrl(String repo, Digest digest) {
    return baseUrl + "/v2/" + repo + "/blobs/" + digest;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
