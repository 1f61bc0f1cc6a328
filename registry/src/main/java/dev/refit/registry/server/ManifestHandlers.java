package dev.refit.registry.server;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.ManifestStore;
import dev.refit.registry.store.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Manifest pull (GET/HEAD by tag or digest), push (PUT) and delete. Event-loop only; parsing,
 * hashing and store calls run on the {@link Worker}.
 *
 * <p>distribution-spec "Pulling manifests" (end-3), "Pushing Manifests" (end-7) and "Deleting
 * Manifests"/"Deleting tags" (end-9). Bytes are stored and served exactly as received.
 */
final class ManifestHandlers {
  /** distribution-spec "tag": {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private final Worker worker;
  private final ManifestStore manifests;
  private final RepositoryStore repos;
  private final long maxManifestBytes;

  ManifestHandlers(Worker worker, ManifestStore manifests, RepositoryStore repos, long maxManifestBytes) {
    this.worker = worker;
    this.manifests = manifests;
    this.repos = repos;
    this.maxManifestBytes = maxManifestBytes;
  }

  /** Null when {@code reference} is a tag; the parsed digest otherwise. */
  static Digest digestOrNull(String reference) {
    if (reference.indexOf(':') >= 0) {
      return Digest.parse(reference);
    }
    if (!TAG.matcher(reference).matches()) {
      throw RegistryException.of(ErrorCode.MANIFEST_INVALID,
          "invalid tag '" + reference + "': expected [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    }
    return null;
  }

  static RegistryException unknown(String name, String reference) {
    return new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
        "manifest " + reference + " is not known in repository " + name,
        Map.of("reference", reference));
  }

  /**
   * For reads and deletes: a reference that is not a valid tag can name nothing, so it is simply
   * unknown (the pull endpoint's only failure is 404, spec end-3); a malformed digest stays
   * DIGEST_INVALID.
   */
  private static void checkReadable(Exchange ex) {
    try {
      digestOrNull(ex.reference());
    } catch (RegistryException invalidTag) {
      throw unknown(ex.name(), ex.reference());
    }
  }

  /** GET and HEAD. */
  Future<Void> get(Exchange ex) {
    checkReadable(ex);
    return worker.run(() -> manifests.get(ex.name(), ex.reference())).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(unknown(ex.name(), ex.reference()));
      }
      RawManifest m = found.get();
      ex.response()
          .putHeader("Content-Type", m.mediaType())
          .putHeader("Docker-Content-Digest", m.digest().toString())
          .putHeader("ETag", "\"" + m.digest() + "\"")
          .putHeader("Content-Length", Integer.toString(m.size()));
      return ex.isHead() ? ex.response().end() : ex.response().end(Buffer.buffer(m.bytes()));
    });
  }

  Future<Void> put(Exchange ex) {
    Digest byDigest = digestOrNull(ex.reference());
    String tag = byDigest == null ? ex.reference() : null;
    String declared = ex.header("Content-Length");
    if (declared != null && declared.trim().matches("\\d{1,18}")
        && Long.parseLong(declared.trim()) > maxManifestBytes) {
      throw RegistryException.tooLarge("manifest of " + declared.trim() + " bytes", maxManifestBytes);
    }
    String contentType = mediaTypeOf(ex.header("Content-Type"));
    return readBounded(ex.request(), maxManifestBytes)
        .compose(body -> worker.run(() -> store(ex.name(), body.getBytes(), contentType, byDigest, tag)))
        .compose(stored -> {
          ex.response().setStatusCode(201)
              .putHeader("Location", ex.manifestLocation(stored.raw().digest()))
              .putHeader("Docker-Content-Digest", stored.raw().digest().toString())
              .putHeader("Content-Length", "0");
          if (stored.summary().subject() != null) {
            // Tells the client the registry tracks referrers itself (spec "Pushing Manifests
            // with Subject"), so it must not maintain a referrers tag.
            ex.response().putHeader("OCI-Subject", stored.summary().subject().toString());
          }
          return ex.response().end();
        });
  }

  private record Stored(RawManifest raw, ManifestSummary summary) {}

  /** Blocking: parse, hash, check every reference, then store. */
  private Stored store(String name, byte[] bytes, String contentType, Digest byDigest, String tag) {
    ManifestSummary summary = ManifestSummary.parse(bytes, contentType);
    RawManifest raw = byDigest == null
        ? RawManifest.of(bytes, summary.mediaType())
        : RawManifest.verified(bytes, summary.mediaType(), byDigest);
    for (Digest blob : summary.blobs()) {
      if (!repos.isLinked(name, blob)) {
        throw blobUnknown(name, blob, "blob");
      }
    }
    for (Digest child : summary.children()) {
      if (manifests.get(name, child.toString()).isEmpty()) {
        throw blobUnknown(name, child, "child manifest");
      }
    }
    // A missing subject is allowed: referrers may be pushed before what they refer to.
    manifests.put(name, raw, tag);
    return new Stored(raw, summary);
  }

  private static RegistryException blobUnknown(String name, Digest digest, String what) {
    return new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "manifest references " + what + " " + digest + ", which is not in repository " + name
            + "; push it first", Map.of("digest", digest.toString()));
  }

  Future<Void> delete(Exchange ex) {
    checkReadable(ex);
    return worker.run(() -> manifests.delete(ex.name(), ex.reference())).compose(deleted -> deleted
        ? ex.response().setStatusCode(202).putHeader("Content-Length", "0").end()
        : Future.failedFuture(unknown(ex.name(), ex.reference())));
  }

  /** The media type without parameters (the spec says registries should ignore them). */
  static String mediaTypeOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim();
    return type.isEmpty() ? null : type;
  }

  /** Reads a small body, failing with 413 as soon as it passes {@code limit}. */
  static Future<Buffer> readBounded(HttpServerRequest request, long limit) {
    if (request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + (long) chunk.length() > limit) {
        // Fail now: FailureWriter answers 413 without reading the rest (it may be gigabytes).
        request.pause();
        promise.tryFail(RegistryException.tooLarge("manifest", limit));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    Bodies.accept(request);
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future();
  }
}
