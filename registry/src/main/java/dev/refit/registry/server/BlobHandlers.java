package dev.refit.registry.server;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobStatter;
import dev.refit.registry.store.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Map;
import java.util.Optional;

/**
 * Blob pull (GET/HEAD, with byte ranges) and blob delete in one repository. Event-loop only;
 * store calls go through the {@link Worker}.
 *
 * <p>distribution-spec "Pulling blobs" (end-2) and "Deleting Blobs" (end-10). A blob is served
 * only when linked into the repository, so mounting and deleting stay per repository.
 */
final class BlobHandlers {
  private final Worker worker;
  private final BlobStatter blobs;
  private final RepositoryStore repos;

  BlobHandlers(Worker worker, BlobStatter blobs, RepositoryStore repos) {
    this.worker = worker;
    this.blobs = blobs;
    this.repos = repos;
  }

  static RegistryException unknown(String name, Digest digest) {
    return new RegistryException(ErrorCode.BLOB_UNKNOWN,
        "blob " + digest + " is not known in repository " + name,
        Map.of("digest", digest.toString()));
  }

  /** GET and HEAD. */
  Future<Void> get(Exchange ex) {
    Digest digest = Digest.parse(ex.reference());
    return worker
        .run(() -> repos.isLinked(ex.name(), digest) ? blobs.stat(digest) : Optional.<BlobInfo>empty())
        .compose(info -> info.isPresent()
            ? send(ex, info.get())
            : Future.failedFuture(unknown(ex.name(), digest)));
  }

  private Future<Void> send(Exchange ex, BlobInfo info) {
    long size = info.size();
    Optional<ByteRange> range = ByteRange.parse(ex.header("Range"), size);
    long offset = range.map(ByteRange::start).orElse(0L);
    long length = range.map(ByteRange::length).orElse(size);
    if (ex.isHead() || length == 0) {
      return headers(ex, info, range, length).end();
    }
    if (ex.request().version() == HttpVersion.HTTP_2) {
      // HTTP/2 cannot sendfile an open file; by path Vert.x opens and streams it asynchronously.
      return headers(ex, info, range, length).sendFile(info.path().toString(), offset, length);
    }
    // Opening a file is blocking IO, so it happens on the worker; the send itself is zero-copy
    // (sendfile) over plain HTTP/1.1, which is safe because committed blob files are immutable.
    // Headers are set only once the file is open, so a failure still gets a clean error response.
    return worker.run(() -> open(info)).compose(file -> headers(ex, info, range, length)
        .sendFile(file, offset, length)
        .eventually(() -> worker.run(() -> {
          file.close();
          return null;
        })));
  }

  private static HttpServerResponse headers(
      Exchange ex, BlobInfo info, Optional<ByteRange> range, long length) {
    HttpServerResponse response = ex.response()
        .putHeader("Docker-Content-Digest", info.digest().toString())
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Accept-Ranges", "bytes")
        .putHeader("ETag", "\"" + info.digest() + "\"")
        .putHeader("Content-Length", Long.toString(length));
    range.ifPresent(r -> response.setStatusCode(206).putHeader("Content-Range", r.contentRange(info.size())));
    return response;
  }

  /** Blocking. A blob removed (e.g. by GC) since it was stat'ed is reported as unknown. */
  private static RandomAccessFile open(BlobInfo info) throws IOException {
    try {
      return new RandomAccessFile(info.path().toFile(), "r");
    } catch (FileNotFoundException gone) {
      throw new RegistryException(ErrorCode.BLOB_UNKNOWN,
          "blob " + info.digest() + " was removed while being served", null);
    }
  }

  Future<Void> delete(Exchange ex) {
    Digest digest = Digest.parse(ex.reference());
    return worker.run(() -> repos.unlink(ex.name(), digest)).compose(removed -> removed
        ? ex.response().setStatusCode(202).putHeader("Content-Length", "0").end()
        : Future.failedFuture(unknown(ex.name(), digest)));
  }
}
