package dev.refit.registry.server;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobStore;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob push: upload sessions (POST, PATCH, closing PUT, status GET, cancel DELETE) and
 * cross-repository mount. Event-loop only; store calls go through the {@link Worker}.
 *
 * <p>distribution-spec "Pushing blobs" (end-4a/4b/5/6/11/13/14). Bodies are piped into the
 * upload through {@link UploadSink}, never held whole; the digest is verified by
 * {@link BlobWriter#commit} before the blob becomes visible. A failed request cancels its upload
 * so nothing half-written lingers, except when the client merely went away mid-body: then what
 * it sent is kept and the upload stays resumable (spec "Resuming").
 */
final class UploadHandlers {
  private static final Pattern CONTENT_RANGE = Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)(?:/.*)?$");
  private static final int MAX_TRACKED_OWNERS = 10_000;
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

  private final Worker worker;
  private final BlobStore blobs;
  private final RepositoryStore repos;
  private final long maxChunkBytes;
  /** Upload ids with a request in flight: a BlobWriter is driven by one request at a time. */
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  /**
   * The repository each session opened by this server belongs to: an upload URL is scoped to
   * its repository, as in distribution, so it cannot be completed into another one. Sessions from
   * before a restart (or after an overflow clear) are unbound and accepted under any name.
   */
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  UploadHandlers(Worker worker, BlobStore blobs, RepositoryStore repos, long maxChunkBytes) {
    this.worker = worker;
    this.blobs = blobs;
    this.repos = repos;
    this.maxChunkBytes = maxChunkBytes;
  }

  /** POST /v2/name/blobs/uploads/ : mount, monolithic push (?digest=) or a new session. */
  Future<Void> start(Exchange ex) {
    String mount = ex.query("mount");
    if (mount != null) {
      return mount(ex, Digest.parse(mount), ex.query("from"));
    }
    String digestParam = ex.query("digest");
    Digest expected = digestParam == null ? null : Digest.parse(digestParam);
    checkDeclaredLength(ex);
    return worker.run(blobs::create).compose(writer -> guarded(writer, false, () -> {
      if (expected != null) {
        return receive(ex, writer).compose(v -> commit(ex, writer, expected));
      }
      return receive(ex, writer).compose(v -> session(ex, writer, 202));
    }));
  }

  /** POST ?mount=&from=: link an existing blob instead of uploading it (spec end-11). */
  private Future<Void> mount(Exchange ex, Digest digest, String from) {
    if (from != null) {
      Router.validateName(from);
    }
    return worker.run(() -> {
      boolean present = from == null
          ? blobs.stat(digest).isPresent()
          : repos.isLinked(from, digest) && blobs.stat(digest).isPresent();
      if (present) {
        repos.link(ex.name(), digest);
      }
      return present;
    }).compose(mounted -> {
      if (mounted) {
        return created(ex, digest);
      }
      // The spec lets a registry that cannot mount fall back to a fresh session (202).
      return worker.run(blobs::create).compose(writer -> session(ex, writer, 202));
    });
  }

  /** PATCH: append one chunk, in order only (416 otherwise, with the current Range). */
  Future<Void> patch(Exchange ex) {
    checkDeclaredLength(ex);
    return withUpload(ex, writer -> {
      String contentRange = ex.header("Content-Range");
      if (contentRange != null) {
        checkInOrder(ex, writer, contentRange);
      }
      return guarded(writer, true, () -> receive(ex, writer).compose(v -> session(ex, writer, 202)));
    });
  }

  /** PUT ?digest=: optional last chunk, then verify and commit (spec end-6). */
  Future<Void> close(Exchange ex) {
    String digestParam = ex.query("digest");
    if (digestParam == null) {
      throw RegistryException.of(ErrorCode.DIGEST_INVALID,
          "closing PUT needs ?digest=<algorithm:hex> of the whole blob");
    }
    Digest expected = Digest.parse(digestParam);
    checkDeclaredLength(ex);
    return withUpload(ex, writer -> {
      String contentRange = ex.header("Content-Range");
      if (contentRange != null) {
        checkInOrder(ex, writer, contentRange);
      }
      return guarded(writer, true, () -> receive(ex, writer).compose(v -> commit(ex, writer, expected)));
    });
  }

  /** GET: where the upload stands (spec end-13), 204 with Range. */
  Future<Void> status(Exchange ex) {
    return withUpload(ex, writer -> session(ex, writer, 204));
  }

  /** DELETE: cancel (spec end-14), 204. */
  Future<Void> cancel(Exchange ex) {
    return withUpload(ex, writer -> worker.run(() -> {
      writer.cancel();
      return null;
    }).compose(v -> {
      owners.remove(writer.id());
      return ex.response().setStatusCode(204).end();
    }));
  }

  private Future<Void> withUpload(Exchange ex, java.util.function.Function<BlobWriter, Future<Void>> body) {
    String id = ex.reference();
    String owner = owners.get(id);
    if (!UPLOAD_ID.matcher(id).matches() || (owner != null && !owner.equals(ex.name()))) {
      throw uploadUnknown(id);
    }
    if (!busy.add(id)) {
      throw RegistryException.of(ErrorCode.BLOB_UPLOAD_INVALID,
          "upload " + id + " is busy with another request; retry after it completes");
    }
    Future<Void> result;
    try {
      result = worker.run(() -> blobs.resume(id)).compose((Optional<BlobWriter> writer) -> {
        if (writer.isEmpty()) {
          owners.remove(id);
          return Future.failedFuture(uploadUnknown(id));
        }
        return body.apply(writer.get());
      });
    } catch (RuntimeException e) {
      busy.remove(id);
      throw e;
    }
    return result.onComplete(ar -> busy.remove(id));
  }

  /**
   * Runs {@code step}; on failure cancels the upload so a broken session stores nothing, unless
   * it is {@code resumable} (the client knows its URL) and the client merely went away.
   */
  private Future<Void> guarded(BlobWriter writer, boolean resumable,
      java.util.function.Supplier<Future<Void>> step) {
    Future<Void> result;
    try {
      result = step.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(err -> {
      if (resumable && err instanceof ClientGoneException) {
        return Future.failedFuture(err);
      }
      return worker.run(() -> {
        writer.cancel();
        return null;
      }).transform(ignored -> {
        owners.remove(writer.id());
        return Future.failedFuture(err);
      });
    });
  }

  /** Pipes the request body (if any) into the upload; the request is paused until here. */
  private Future<Void> receive(Exchange ex, BlobWriter writer) {
    if (ex.request().isEnded()) {
      return Future.succeededFuture();
    }
    if (ex.response().closed()) {
      // Gone while the request waited for the store: no handler saw it, and a pipe would wait
      // forever (holding the upload busy).
      return Future.failedFuture(new ClientGoneException(
          new HttpClosedException("before the body was read")));
    }
    UploadSink sink = new UploadSink(worker, writer, maxChunkBytes);
    Bodies.accept(ex.request());
    return ex.request().pipeTo(sink).recover(err -> {
      if (err instanceof HttpClosedException || err instanceof StreamResetException) {
        return sink.settle().transform(kept -> Future.failedFuture(
            kept.succeeded() ? new ClientGoneException(err) : err));
      }
      return sink.abort(err).transform(ignored -> Future.failedFuture(err));
    });
  }

  private Future<Void> commit(Exchange ex, BlobWriter writer, Digest expected) {
    return worker.run(() -> {
      BlobInfo info = writer.commit(expected);
      repos.link(ex.name(), info.digest());
      return info;
    }).compose(info -> {
      owners.remove(writer.id());
      return created(ex, info.digest());
    });
  }

  private Future<Void> created(Exchange ex, Digest digest) {
    return ex.response().setStatusCode(201)
        .putHeader("Location", ex.blobLocation(digest))
        .putHeader("Docker-Content-Digest", digest.toString())
        .putHeader("Content-Length", "0")
        .end();
  }

  private Future<Void> session(Exchange ex, BlobWriter writer, int status) {
    if (owners.size() >= MAX_TRACKED_OWNERS) {
      owners.clear(); // abandoned sessions must not grow this forever; unbound ones still work
    }
    owners.putIfAbsent(writer.id(), ex.name());
    return ex.response().setStatusCode(status)
        .putHeader("Location", ex.uploadLocation(writer.id()))
        .putHeader("Range", rangeOf(writer))
        .putHeader("Docker-Upload-UUID", writer.id())
        .putHeader("Content-Length", "0")
        .end();
  }

  /** distribution writes {@code 0-0} for an empty upload; clients only use the end offset. */
  private static String rangeOf(BlobWriter writer) {
    return "0-" + Math.max(0, writer.size() - 1);
  }

  private void checkInOrder(Exchange ex, BlobWriter writer, String contentRange) {
    Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
    RegistryException outOfOrder = RegistryException.of(ErrorCode.RANGE_INVALID,
            "chunk range '" + contentRange + "' does not continue upload " + writer.id()
                + " at offset " + writer.size() + "; GET the upload for its current Range")
        .withHeader("Location", ex.uploadLocation(writer.id()))
        .withHeader("Range", rangeOf(writer))
        .withHeader("Docker-Upload-UUID", writer.id());
    if (!m.matches()) {
      throw outOfOrder;
    }
    long start;
    long end;
    try {
      start = Long.parseLong(m.group(1));
      end = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw outOfOrder;
    }
    if (start != writer.size() || end < start) {
      throw outOfOrder;
    }
    long declared = declaredLength(ex);
    if (declared >= 0 && declared != end - start + 1) {
      throw outOfOrder;
    }
  }

  private void checkDeclaredLength(Exchange ex) {
    long declared = declaredLength(ex);
    if (declared > maxChunkBytes) {
      throw RegistryException.tooLarge("upload request body of " + declared + " bytes", maxChunkBytes);
    }
  }

  private static long declaredLength(Exchange ex) {
    String value = ex.header("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw RegistryException.of(ErrorCode.SIZE_INVALID, "malformed Content-Length '" + value + "'");
    }
  }

  private static RegistryException uploadUnknown(String id) {
    return RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN,
        "upload " + id + " is unknown: never started, cancelled, completed or expired");
  }
}
