package dev.refit.registry.server;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.store.ManifestStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The referrers API: an OCI image index of the manifests whose {@code subject} is a digest.
 * Event-loop only; store calls go through the {@link Worker}.
 *
 * <p>distribution-spec "Listing Referrers" (end-12a/12b): always 200 with an index, empty when
 * nothing refers to the digest (never 404); {@code ?artifactType=} filters, and the response then
 * says so with {@code OCI-Filters-Applied: artifactType}.
 */
final class ReferrerHandlers {
  private final Worker worker;
  private final ManifestStore manifests;

  ReferrerHandlers(Worker worker, ManifestStore manifests) {
    this.worker = worker;
    this.manifests = manifests;
  }

  Future<Void> list(Exchange ex) {
    Digest subject = Digest.parse(ex.reference());
    String artifactType = ex.query("artifactType");
    return worker.run(() -> manifests.referrers(ex.name(), subject)).compose(all -> {
      List<Descriptor> chosen = artifactType == null
          ? all
          : all.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
      JsonArray entries = new JsonArray();
      chosen.forEach(d -> entries.add(toJson(d)));
      Buffer body = new JsonObject()
          .put("schemaVersion", 2)
          .put("mediaType", MediaType.OCI_INDEX)
          .put("manifests", entries)
          .toBuffer();
      ex.response()
          .putHeader("Content-Type", MediaType.OCI_INDEX)
          .putHeader("Content-Length", Integer.toString(body.length()));
      if (artifactType != null) {
        ex.response().putHeader("OCI-Filters-Applied", "artifactType");
      }
      return ex.isHead() ? ex.response().end() : ex.response().end(body);
    });
  }

  private static JsonObject toJson(Descriptor d) {
    JsonObject json = new JsonObject()
        .put("mediaType", d.mediaType())
        .put("digest", d.digest().toString())
        .put("size", d.size());
    if (d.artifactType() != null) {
      json.put("artifactType", d.artifactType());
    }
    if (!d.annotations().isEmpty()) {
      JsonObject annotations = new JsonObject();
      d.annotations().forEach(annotations::put);
      json.put("annotations", annotations);
    }
    return json;
  }
}
