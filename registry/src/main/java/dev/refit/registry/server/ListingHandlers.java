package dev.refit.registry.server;

import dev.refit.registry.store.ManifestStore;
import dev.refit.registry.store.RepositoryStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Tag listing and the repository catalog, both paginated by {@link Page}. Event-loop only;
 * store calls go through the {@link Worker}.
 *
 * <p>distribution-spec "Listing Tags" (end-8a/8b); {@code /v2/_catalog} is distribution's
 * catalog API, paginated the same way.
 */
final class ListingHandlers {
  private final Worker worker;
  private final ManifestStore manifests;
  private final RepositoryStore repos;

  ListingHandlers(Worker worker, ManifestStore manifests, RepositoryStore repos) {
    this.worker = worker;
    this.manifests = manifests;
    this.repos = repos;
  }

  Future<Void> tags(Exchange ex) {
    return worker.run(() -> {
      List<String> tags = manifests.tags(ex.name());
      if (tags.isEmpty() && !repos.repositories().contains(ex.name())) {
        throw new RegistryException(ErrorCode.NAME_UNKNOWN,
            "repository " + ex.name() + " is not known to this registry", Map.of("name", ex.name()));
      }
      return tags.stream().sorted().toList();
    }).compose(tags -> {
      Page page = Page.of(tags, ex.query("n"), ex.query("last"), "/v2/" + ex.name() + "/tags/list");
      JsonObject body = new JsonObject()
          .put("name", ex.name())
          .put("tags", new JsonArray(page.items()));
      return sendJson(ex, body, page);
    });
  }

  Future<Void> catalog(Exchange ex) {
    return worker.run(() -> repos.repositories().stream().sorted().toList()).compose(all -> {
      Page page = Page.of(all, ex.query("n"), ex.query("last"), "/v2/_catalog");
      return sendJson(ex, new JsonObject().put("repositories", new JsonArray(page.items())), page);
    });
  }

  private static Future<Void> sendJson(Exchange ex, JsonObject json, Page page) {
    Buffer body = json.toBuffer();
    ex.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", Integer.toString(body.length()));
    if (page.nextLink() != null) {
      ex.response().putHeader("Link", page.nextLink());
    }
    return ex.isHead() ? ex.response().end() : ex.response().end(body);
  }
}
