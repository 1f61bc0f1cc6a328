package dev.refit.pipeline.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The fetch cache index: per upstream reference, what the last fetch found ({@link CacheEntry}),
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

  private CacheIndex(Path file, Map<String, CacheEntry> entries) {
    this.file = file;
    this.entries = entries;
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
      return new CacheIndex(file, new TreeMap<>());
    } catch (IOException e) {
      throw new CacheIndexException("cannot read the fetch cache index " + file + ": " + Causes.describe(e), e);
    }
    try {
      return new CacheIndex(file, parse(Json.mapper().readTree(bytes)));
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

  /** A snapshot, sorted by reference. */
  public synchronized Map<String, CacheEntry> entries() {
    return new TreeMap<>(entries);
  }

  /** Writes the index atomically: temp file in the same directory, fsync, rename. Blocking. */
  public synchronized void save() {
    // Synchronized whole, so concurrent saves cannot rename an older snapshot over a newer one.
    byte[] json = render();
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(json));
        out.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      FsSync.directory(dir);
    } catch (IOException e) {
      throw new CacheIndexException("cannot write the fetch cache index " + file + ": " + Causes.describe(e)
          + "; check that the cache directory is writable", e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: a stray temp file is harmless and named as one
      }
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
