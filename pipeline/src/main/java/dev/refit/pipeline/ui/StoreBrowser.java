package dev.refit.pipeline.ui;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.oci.json.Json;
import dev.refit.registry.store.RepositoryName;
import dev.refit.registry.store.fs.FsStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the web view shows of a store: repositories, their tags with digest, size and creation
 * date, and one image's layers, labels and refit provenance, as JSON. Reads only through the
 * store's API and blob files named by digest, so no request reaches outside the store; names and
 * references are validated before any read. Blocking; thread-safe.
 */
final class StoreBrowser {
  /** distribution-spec "tag" grammar. */
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  /** An image config larger than this is not read (real ones are a few KiB). */
  private static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;

  private final FsStore store;

  StoreBrowser(FsStore store) {
    this.store = store;
  }

  /** A page of repositories, each with its tag count and whether it has a refit tag. */
  JsonObject repositories(Paging paging) {
    List<String> all = store.repositories().stream().sorted().toList();
    List<String> shown = paging.cut(all);
    JsonArray items = new JsonArray();
    for (String name : shown) {
      List<String> tags = store.tags(name);
      items.add(new JsonObject().put("name", name).put("tags", tags.size())
          .put("apex", tags.stream().anyMatch(StoreBrowser::isApexTag)));
    }
    return paging.page("repositories", all, items, shown);
  }

  /** A page of {@code repo}'s tags, each with its image's digest, size and creation date. */
  JsonObject tags(String repo, Paging paging) {
    List<String> all = knownRepository(repo);
    List<String> shown = paging.cut(all);
    JsonArray items = new JsonArray();
    for (String tag : shown) {
      store.get(repo, tag).ifPresent(raw -> items.add(summary(repo, raw).put("tag", tag)
          .put("apex", isApexTag(tag))));
    }
    return paging.page("tags", all, items, shown).put("repository", repo);
  }

  /** One image (or index): its summary, layers or children, labels and provenance. */
  JsonObject image(String repo, String reference) {
    knownRepository(repo);
    RawManifest raw = manifest(repo, reference);
    JsonObject out = summary(repo, raw).put("repository", repo).put("reference", reference);
    if (MediaType.isIndex(raw.mediaType())) {
      JsonArray children = new JsonArray();
      for (Descriptor d : Index.parse(raw.bytes()).manifests()) {
        children.add(new JsonObject().put("digest", d.digest().toString()).put("size", d.size())
            .put("mediaType", d.mediaType()).put("platform", platform(d.platform())));
      }
      return out.put("manifests", children);
    }
    Manifest manifest = Manifest.parse(raw.bytes());
    JsonArray layers = new JsonArray();
    for (Descriptor d : manifest.layers()) {
      layers.add(new JsonObject().put("digest", d.digest().toString()).put("size", d.size())
          .put("mediaType", d.mediaType()));
    }
    Map<String, String> labels = config(manifest).map(c -> c.config().labels()).orElse(Map.of());
    out.put("layers", layers).put("labels", new JsonObject(Map.copyOf(new TreeMap<String, Object>(labels))));
    return out.put("provenance", provenance(labels));
  }

  /**
   * The upstream an image was built from, by its provenance labels: repository and manifest
   * digest, as {@code {repository, digest}}; 404 when the image carries none or the store lacks it.
   */
  JsonObject base(String repo, String reference) {
    knownRepository(repo);
    RawManifest raw = manifest(repo, reference);
    if (MediaType.isIndex(raw.mediaType())) {
      throw UiException.badRequest(repo + ":" + reference
          + " is an index; open one of its platform images to see its diff");
    }
    JsonObject provenance = provenance(config(Manifest.parse(raw.bytes()))
        .map(c -> c.config().labels()).orElse(Map.of()));
    if (provenance == null || provenance.getString("baseRepository") == null) {
      throw UiException.notFound(repo + ":" + reference + " has no base labels ("
          + Provenance.BASE_NAME + ", " + Provenance.BASE_DIGEST + "): it was not built by refit");
    }
    String baseRepo = provenance.getString("baseRepository");
    String baseDigest = provenance.getString("baseDigest");
    if (!provenance.getBoolean("baseInStore")) {
      throw UiException.notFound("the base " + baseRepo + "@" + baseDigest + " is not in this store");
    }
    return new JsonObject().put("repository", baseRepo).put("digest", baseDigest)
        .put("digestB", raw.digest().toString());
  }

  /** Validates {@code repo} and returns its sorted tags; 404 when the store does not have it. */
  List<String> knownRepository(String repo) {
    if (repo == null || repo.isEmpty()) {
      throw UiException.badRequest("the repository name is missing (?repo=NAME)");
    }
    if (!RepositoryName.isValid(repo)) {
      throw UiException.badRequest("'" + repo + "' is not a repository name "
          + "(lowercase components separated by '/'; no '.', '..' or empty components)");
    }
    List<String> tags = store.tags(repo).stream().sorted().toList();
    if (tags.isEmpty() && !store.repositories().contains(repo)) {
      throw UiException.notFound("repository " + repo + " is not in this store");
    }
    return tags;
  }

  /** The manifest {@code reference} (a tag or a digest) names in {@code repo}; 404 when absent. */
  RawManifest manifest(String repo, String reference) {
    if (reference == null || reference.isEmpty()) {
      throw UiException.badRequest("the reference is missing (?ref=TAG or ?ref=sha256:...)");
    }
    if (!TAG.matcher(reference).matches()) {
      try {
        Digest.parse(reference);
      } catch (RuntimeException e) {
        throw UiException.badRequest("'" + reference + "' is neither a tag nor a digest");
      }
    }
    return store.get(repo, reference).orElseThrow(
        () -> UiException.notFound(repo + ":" + reference + " is not in this store"));
  }

  static boolean isApexTag(String tag) {
    return tag.equals("apex") || tag.startsWith("apex-");
  }

  /** Digest, media type, total size, creation date and platform(s) of a manifest. */
  private JsonObject summary(String repo, RawManifest raw) {
    JsonObject out = new JsonObject().put("digest", raw.digest().toString())
        .put("mediaType", raw.mediaType());
    if (MediaType.isIndex(raw.mediaType())) {
      long size = raw.size();
      String created = null;
      JsonArray platforms = new JsonArray();
      for (Descriptor child : Index.parse(raw.bytes()).manifests()) {
        platforms.add(platform(child.platform()));
        Optional<RawManifest> image = store.get(repo, child.digest().toString())
            .filter(m -> MediaType.isImageManifest(m.mediaType()));
        if (image.isPresent()) {
          JsonObject s = summary(repo, image.get());
          size += s.getLong("size");
          String c = s.getString("created");
          created = c != null && (created == null || c.compareTo(created) > 0) ? c : created;
        } else {
          size += child.size();
        }
      }
      return out.put("size", size).put("created", created).put("platforms", platforms);
    }
    if (!MediaType.isImageManifest(raw.mediaType())) {
      return out.put("size", (long) raw.size()).put("created", null);
    }
    Manifest manifest = Manifest.parse(raw.bytes());
    long size = raw.size() + manifest.config().size()
        + manifest.layers().stream().mapToLong(Descriptor::size).sum();
    Optional<ImageConfig> config = config(manifest);
    return out.put("size", size)
        .put("created", config.map(ImageConfig::created).orElse(null))
        .put("platform", config.map(c -> platform(c.platform())).orElse(null))
        .put("patched", config.map(c -> c.config().labels().containsKey(Provenance.BUILD_KEY)).orElse(false));
  }

  /** The image config, read from its blob; empty when the store lacks it or it is not an image config. */
  private Optional<ImageConfig> config(Manifest manifest) {
    Descriptor d = manifest.config();
    if (d.size() > MAX_CONFIG_BYTES || store.stat(d.digest()).isEmpty()) {
      return Optional.empty();
    }
    Path file = FsStore.blobFile(store.root(), d.digest());
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (d.digest().algorithm() == Digest.Algorithm.SHA256 && !Digest.sha256(bytes).equals(d.digest())) {
        throw new UiException(500, "config " + d.digest() + " does not match its digest; run 'refit registry verify'");
      }
      return Optional.of(ImageConfig.parse(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config " + d.digest(), e);
    } catch (UiException e) {
      throw e;
    } catch (RuntimeException notAnImageConfig) {
      return Optional.empty();
    }
  }

  /** The refit provenance labels, parsed; null when the image has none. */
  private JsonObject provenance(Map<String, String> labels) {
    if (!labels.containsKey(Provenance.BUILD_KEY) && !labels.containsKey(Provenance.BASE_DIGEST)) {
      return null;
    }
    JsonObject out = new JsonObject()
        .put("baseName", labels.get(Provenance.BASE_NAME))
        .put("baseDigest", labels.get(Provenance.BASE_DIGEST))
        .put("builder", labels.get(Provenance.BUILDER))
        .put("version", labels.get(Provenance.VERSION))
        .put("buildKey", labels.get(Provenance.BUILD_KEY))
        .put("patches", patches(labels.get(Provenance.PATCHES)));
    String baseRepo = baseRepository(labels.get(Provenance.BASE_NAME));
    String baseDigest = labels.get(Provenance.BASE_DIGEST);
    boolean inStore = false;
    if (baseRepo != null && baseDigest != null && RepositoryName.isValid(baseRepo)) {
      try {
        inStore = store.get(baseRepo, Digest.parse(baseDigest).toString()).isPresent();
      } catch (RuntimeException badDigest) {
        inStore = false;
      }
    }
    return out.put("baseRepository", baseRepo).put("baseInStore", inStore);
  }

  /** The {@code dev.refit.patches} list, or an empty list when absent or unreadable. */
  private static JsonArray patches(String json) {
    if (json == null) {
      return new JsonArray();
    }
    try {
      List<Map<String, Object>> list = Json.mapper().readValue(json, new TypeReference<>() {});
      return new JsonArray(list.stream().map(m -> (Object) new JsonObject(m)).toList());
    } catch (IOException | RuntimeException e) {
      return new JsonArray();
    }
  }

  /** {@code repo} of {@code repo:tag} or {@code repo@digest}; null for null. */
  static String baseRepository(String baseName) {
    if (baseName == null) {
      return null;
    }
    int at = baseName.indexOf('@');
    if (at >= 0) {
      return baseName.substring(0, at);
    }
    int colon = baseName.lastIndexOf(':');
    return colon > baseName.lastIndexOf('/') ? baseName.substring(0, colon) : baseName;
  }

  private static String platform(Platform p) {
    return p == null ? null : p.toString();
  }
}
