package dev.refit.pipeline.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fetch cache index: per upstream reference, what the last fetch found ({@link CacheEntry}),
 * and per upstream, the repository names its catalog listed when images were last discovered;
 * kept as one small JSON file under the cache directory. Thread-safe; {@link #load} and
 * {@link #save} are blocking (run them on a worker pool).
 *
 * <p>Saved atomically (temp file, fsync, rename) so a crash leaves the old index or the new one,
 * never half of one. Times are stored as ISO-8601 UTC instants.
 */
public final class CacheIndex {
  /** The index's file name inside the cache directory. */
  public static final String FILE_NAME = "fetch-index.json";
  private static final int VERSION = 1;

  private final Path file;
  private final Map<String, CacheEntry> entries;
  private final Map<String, List<String>> catalogs;

  private CacheIndex(Path file, Map<String, CacheEntry> entries, Map<String, List<String>> catalogs) {
    this.file = file;
    this.entries = entries;
    this.catalogs = catalogs;
  }

  /** The index at {@code <cacheDir>/fetch-index.json}; see {@link #load(Path)}. Blocking. */
  public static CacheIndex loadFrom(Path cacheDir) {
    return load(cacheDir.resolve(FILE_NAME));
  }

  /**
   * Reads {@code file}; a missing file is an empty index. Blocking.
   *
   * @throws CacheIndexException when the file exists but is unreadable or not a valid index
   */
  public static CacheIndex load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new CacheIndex(file, new TreeMap<>(), new TreeMap<>());
    } catch (IOException e) {
      throw new CacheIndexException("cannot read the fetch cache index " + file + ": " + Causes.describe(e), e);
    }
    try {
      JsonNode root = Json.mapper().readTree(bytes);
      return new CacheIndex(file, parse(root), parseCatalogs(root));
    } catch (IOException | RuntimeException e) {
      throw new CacheIndexException("the fetch cache index " + file + " is corrupt (" + Causes.describe(e)
          + "); delete it and run once without --no-fetch to rebuild it", e);
    }
  }

  public Path file() {
    return file;
  }

  public synchronized Optional<CacheEntry> get(String reference) {
    return Optional.ofNullable(entries.get(reference));
  }

  /** Records (or replaces) the entry for its reference; call {@link #save} to persist. */
  public synchronized void put(CacheEntry entry) {
    entries.put(entry.reference(), entry);
  }

  /** The repository names {@code upstream}'s catalog listed when last discovered, if recorded. */
  public synchronized Optional<List<String>> catalog(String upstream) {
    return Optional.ofNullable(catalogs.get(upstream));
  }

  /** Records what {@code upstream}'s catalog lists now; call {@link #save} to persist. */
  public synchronized void putCatalog(String upstream, List<String> repositories) {
    catalogs.put(upstream, List.copyOf(repositories));
  }

  /** A snapshot, sorted by reference. */
  public synchronized Map<String, CacheEntry> entries() {
    return new TreeMap<>(entries);
  }

  /** Writes the index atomically: temp file in the same directory, fsync, rename. Blocking. */
  public synchronized void save() {
    // Synchronized whole, so concurrent saves cannot rename an older snapshot over a newer one.
    byte[] json = render();
    try {
      AtomicFile.write(file, json);
    } catch (IOException e) {
      throw new CacheIndexException("cannot write the fetch cache index " + file + ": " + Causes.describe(e)
          + "; check that the cache directory is writable", e);
    }
  }

  private byte[] render() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("version", VERSION);
    ObjectNode all = root.putObject("entries");
    for (CacheEntry e : new TreeMap<>(entries).values()) {
      ObjectNode n = all.putObject(e.reference());
      n.put("digest", e.digest().toString());
      n.put("mediaType", e.mediaType());
      n.put("etag", e.etag());
      n.put("lastModified", e.lastModified() == null ? null : e.lastModified().toString());
      n.put("localReference", e.localReference());
      n.put("fetchedAt", e.fetchedAt().toString());
    }
    ObjectNode lists = root.putObject("catalogs");
    new TreeMap<>(catalogs).forEach((upstream, repos) -> repos.forEach(lists.putArray(upstream)::add));
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root)
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the fetch cache index", e);
    }
  }

  private static Map<String, CacheEntry> parse(JsonNode root) {
    if (root == null || !root.isObject() || !root.path("entries").isObject()) {
      throw new IllegalArgumentException("expected an object with an \"entries\" object");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("unsupported version " + root.path("version"));
    }
    Map<String, CacheEntry> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.get("entries").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode n = f.getValue();
      try {
        out.put(f.getKey(), new CacheEntry(f.getKey(), Digest.parse(required(n, "digest")),
            text(n, "mediaType"), text(n, "etag"), instant(text(n, "lastModified")),
            required(n, "localReference"), instant(required(n, "fetchedAt"))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("entry \"" + f.getKey() + "\": " + Causes.describe(e), e);
      }
    }
    return out;
  }

  /** The optional {@code catalogs} object: upstream to repository names. */
  private static Map<String, List<String>> parseCatalogs(JsonNode root) {
    Map<String, List<String>> out = new TreeMap<>();
    JsonNode all = root.path("catalogs");
    if (all.isMissingNode()) {
      return out;
    }
    if (!all.isObject()) {
      throw new IllegalArgumentException("\"catalogs\" is not an object");
    }
    all.fields().forEachRemaining(f -> {
      List<String> repos = new ArrayList<>();
      f.getValue().forEach(r -> repos.add(r.asText()));
      out.put(f.getKey(), List.copyOf(repos));
    });
    return out;
  }

  private static String required(JsonNode n, String field) {
    String value = text(n, field);
    if (value == null) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    return value;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}
