package dev.refit.registry.client;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Downloads blobs into files, verifying the digest while the bytes stream and resuming a broken
 * transfer with a {@code Range} request. Thread-safe (each pull has its own state).
 *
 * <p>Bytes land in a hidden temporary sibling of the target and are renamed into place only
 * after the digest matched; on any failure the temporary file is removed, so nothing unverified
 * is ever visible at the target path. distribution-spec "Pulling Blobs" allows a Range GET;
 * a registry that ignores it (answers 200) makes us start over from byte 0.
 */
final class BlobPuller {
  private final Vertx vertx;
  private final RegistryHttp http;
  private final String baseUrl;
  private final RetryPolicy retry;

  BlobPuller(Vertx vertx, RegistryHttp http, String baseUrl, ClientOptions options) {
    this.vertx = vertx;
    this.http = http;
    this.baseUrl = baseUrl;
    this.retry = RetryPolicy.of(options);
  }

  /** Opens the blob's bytes as a paused, unverified stream (the consumer verifies). */
  Future<HttpClientResponse> open(String repo, Digest digest) {
    return http.send(call(repo, digest));
  }

  /**
   * The blob's bytes as a paused stream that resumes a broken body with a Range request and
   * ends only once they matched the digest ({@link ResumingBlobStream}).
   */
  Future<ReadStream<Buffer>> stream(String repo, Digest digest) {
    HttpCall get = call(repo, digest);
    return http.send(get).map(first -> new ResumingBlobStream(vertx, digest, retry, get.describe(), first,
        offset -> http.send(offset > 0 ? get.withHeader("Range", "bytes=" + offset + "-") : get)));
  }

  /** Reads a small blob (an image config) into memory, refusing more than {@code maxBytes}. */
  Future<Buffer> read(String repo, Digest digest, long maxBytes) {
    HttpCall get = call(repo, digest);
    return http.send(get)
        .compose(resp -> RegistryHttp.readLimited(resp, maxBytes, get))
        .compose(body -> {
          Digest actual = Digest.compute(digest.algorithm(), body.getBytes());
          return actual.equals(digest) ? Future.succeededFuture(body) : Future.failedFuture(mismatch(repo, digest, actual));
        });
  }

  /**
   * Streams the blob into {@code out}, hashing on the way; fails on a size or digest mismatch,
   * in which case {@code out} is not ended and the caller must discard what it received. Not
   * resumed on a broken connection ({@code out} cannot be rewound).
   */
  Future<Long> pull(String repo, Digest digest, WriteStream<Buffer> out) {
    HashingWriteStream sink = new HashingWriteStream(out, digest.algorithm());
    return open(repo, digest)
        .compose(resp -> resp.pipe().endOnComplete(false).to(sink))
        .compose(v -> {
          Digest actual = sink.digest();
          if (!actual.equals(digest)) {
            return Future.failedFuture(mismatch(repo, digest, actual));
          }
          return out.end().map(sink.count());
        });
  }

  /** Downloads the blob to {@code target}; completes with its size once verified and in place. */
  Future<Long> pull(String repo, Digest digest, Path target) {
    Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + UUID.randomUUID());
    OpenOptions create = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);
    return vertx.fileSystem().open(temp.toString(), create)
        .compose(file -> {
          HashingWriteStream sink = new HashingWriteStream(file, digest.algorithm());
          return fetchInto(repo, digest, file, sink, 1)
              .compose(v -> file.flush())
              .eventually(file::close)
              .map(v -> sink);
        })
        .compose(sink -> vertx.fileSystem().truncate(temp.toString(), sink.count()).map(v -> sink))
        .compose(sink -> {
          Digest actual = sink.digest();
          if (!actual.equals(digest)) {
            return Future.failedFuture(mismatch(repo, digest, actual));
          }
          return vertx.fileSystem()
              .move(temp.toString(), target.toString(), new CopyOptions().setReplaceExisting(true))
              .map(v -> sink.count());
        })
        .recover(e -> vertx.fileSystem().delete(temp.toString())
            .transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Void> fetchInto(String repo, Digest digest, AsyncFile file, HashingWriteStream sink, int attempt) {
    long offset = sink.count();
    HttpCall call = offset > 0 ? call(repo, digest).withHeader("Range", "bytes=" + offset + "-") : call(repo, digest);
    return http.send(call)
        .compose(resp -> {
          if (resp.statusCode() == 200 && offset > 0) {
            // The server ignored Range: start again from the first byte.
            sink.reset();
            file.setWritePos(0);
          } else if (resp.statusCode() == 206 && !String.valueOf(resp.getHeader("Content-Range")).startsWith("bytes " + offset + "-")) {
            return RegistryHttp.discard(resp).compose(v -> Future.failedFuture(new RegistryClientException(
                call.describe() + " answered Content-Range '" + resp.getHeader("Content-Range")
                    + "' for a request from byte " + offset)));
          }
          return resp.pipe().endOnComplete(false).to(sink);
        })
        .recover(e -> {
          boolean progressing = sink.count() > offset;
          if (e instanceof RegistryClientException || !retry.hasAttemptAfter(attempt)) {
            return Future.failedFuture(e instanceof RegistryClientException ? e : new RegistryClientException(
                call.describe() + " broke after " + sink.count() + " bytes and " + attempt + " attempts: "
                    + Causes.describe(e), e));
          }
          long wait = progressing ? 1 : retry.delayAfter(attempt, null, Instant.now()).toMillis();
          return vertx.timer(Math.max(1, wait)).compose(v -> fetchInto(repo, digest, file, sink, attempt + 1));
        });
  }

  private RegistryClientException mismatch(String repo, Digest expected, Digest actual) {
    DigestMismatchException cause = new DigestMismatchException(expected, actual);
    return new RegistryClientException("blob " + expected + " from " + baseUrl + "/v2/" + repo
        + " failed verification: " + Causes.describe(cause) + "; nothing was stored", cause);
  }

  private HttpCall call(String repo, Digest digest) {
    return HttpCall.of(HttpMethod.GET, baseUrl + "/v2/" + repo + "/blobs/" + digest,
        List.of(Scopes.pull(repo)), 200, 206);
  }
}
