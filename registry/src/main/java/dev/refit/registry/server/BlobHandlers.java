package dev.refit.registry.server;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobStatter;
import dev.refit.registry.store.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
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
    HttpServerResponse response = ex.response()
        .putHeader("Docker-Content-Digest", info.digest().toString())
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Accept-Ranges", "bytes")
        .putHeader("ETag", "\"" + info.digest() + "\"")
        .putHeader("Content-Length", Long.toString(length));
    if (range.isPresent()) {
      response.setStatusCode(206).putHeader("Content-Range", range.get().contentRange(size));
    }
    if (ex.isHead() || length == 0) {
      return response.end();
    }
    // Zero-copy: the committed file is immutable, so the kernel may stream it directly.
    return response.sendFile(info.path().toString(), offset, length);
  }

  Future<Void> delete(Exchange ex) {
    Digest digest = Digest.parse(ex.reference());
    return worker.run(() -> repos.unlink(ex.name(), digest)).compose(removed -> removed
        ? ex.response().setStatusCode(202).putHeader("Content-Length", "0").end()
        : Future.failedFuture(unknown(ex.name(), digest)));
  }
}
