package dev.refit.patches.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The index of downloaded Gerrit patches, kept beside them as {@code patch-index.json}: per
 * change and revision the file and its sha256, and per change the revision fetched last, so an
 * offline run can reuse it without asking Gerrit. Not thread-safe (one per {@link PatchFetcher});
 * {@link #load} and {@link #save} are blocking.
 *
 * <p>Saved atomically (temp file, fsync, rename), so a crash leaves the old index or the new one.
 */
final class PatchIndex {
  static final String FILE_NAME = "patch-index.json";
  private static final int VERSION = 1;

  /**
   * One downloaded revision of a change.
   *
   * @param patchset Gerrit's patchset number, 0 when unknown
   * @param file the patch file's name in the index's directory; null for an abandoned change
   * @param sha256 of the patch file; null for an abandoned change
   * @param status the change's status when it was fetched (NEW, MERGED, ABANDONED)
   */
  record Entry(String revision, int patchset, String file, Digest sha256, String status,
      Instant mergedAt, Instant fetchedAt) {}

  private final Path file;
  /** change key → revision → entry. */
  private final Map<String, Map<String, Entry>> revisions;
  /** change key → the revision fetched last. */
  private final Map<String, String> latest;

  private PatchIndex(Path file, Map<String, Map<String, Entry>> revisions, Map<String, String> latest) {
    this.file = file;
    this.revisions = revisions;
    this.latest = latest;
  }

  /** The key of a change: Gerrit's triplet id, {@code project~branch~Change-Id}. */
  static String key(String project, String branch, String changeId) {
    return project + "~" + branch + "~" + changeId;
  }

  /** Reads the index in {@code dir}; a missing file is an empty index. Blocking. */
  static PatchIndex load(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new PatchIndex(file, new TreeMap<>(), new TreeMap<>());
    } catch (IOException e) {
      throw new PatchSourceException("cannot read the patch cache index " + file + ": "
          + Causes.describe(e), e);
    }
    try {
      return parse(file, Json.mapper().readTree(bytes));
    } catch (IOException | RuntimeException e) {
      throw new PatchSourceException("the patch cache index " + file + " is corrupt ("
          + Causes.describe(e) + "); delete it and run once without --no-fetch to rebuild it", e);
    }
  }

  Optional<Entry> get(String key, String revision) {
    return Optional.ofNullable(revisions.getOrDefault(key, Map.of()).get(revision));
  }

  /** The revision fetched last for the change, if any. */
  Optional<Entry> latest(String key) {
    String rev = latest.get(key);
    return rev == null ? Optional.empty() : get(key, rev);
  }

  /** The recorded revision with patchset {@code number}, if any. */
  Optional<Entry> patchset(String key, int number) {
    return revisions.getOrDefault(key, Map.of()).values().stream()
        .filter(e -> e.patchset() == number).findFirst();
  }

  /** Records {@code entry}; with {@code asLatest}, it becomes the change's latest revision. */
  void put(String key, Entry entry, boolean asLatest) {
    revisions.computeIfAbsent(key, k -> new TreeMap<>()).put(entry.revision(), entry);
    if (asLatest) {
      latest.put(key, entry.revision());
    }
  }

  /** Writes the index atomically: temp file beside it, fsync, rename. Blocking. */
  void save() {
    try {
      AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(render()));
    } catch (IOException e) {
      throw new PatchSourceException("cannot write the patch cache index " + file + ": "
          + Causes.describe(e) + "; check that the cache directory is writable", e);
    }
  }

  private ObjectNode render() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("version", VERSION);
    ObjectNode changes = root.putObject("changes");
    for (Map.Entry<String, Map<String, Entry>> c : revisions.entrySet()) {
      ObjectNode change = changes.putObject(c.getKey());
      change.put("latest", latest.get(c.getKey()));
      ObjectNode revs = change.putObject("revisions");
      for (Entry e : c.getValue().values()) {
        ObjectNode n = revs.putObject(e.revision());
        n.put("patchset", e.patchset());
        n.put("file", e.file());
        n.put("sha256", e.sha256() == null ? null : e.sha256().toString());
        n.put("status", e.status());
        n.put("mergedAt", e.mergedAt() == null ? null : e.mergedAt().toString());
        n.put("fetchedAt", e.fetchedAt().toString());
      }
    }
    return root;
  }

  private static PatchIndex parse(Path file, JsonNode root) {
    if (root == null || root.path("version").asInt(-1) != VERSION || !root.path("changes").isObject()) {
      throw new IllegalArgumentException("expected version " + VERSION + " and a \"changes\" object");
    }
    Map<String, Map<String, Entry>> revisions = new TreeMap<>();
    Map<String, String> latest = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.get("changes").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      Map<String, Entry> revs = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> r = c.getValue().path("revisions").fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> e = r.next();
        JsonNode n = e.getValue();
        revs.put(e.getKey(), new Entry(e.getKey(), n.path("patchset").asInt(0),
            n.hasNonNull("file") ? n.get("file").asText() : null,
            n.hasNonNull("sha256") ? Digest.parse(n.get("sha256").asText()) : null, required(n, "status"),
            n.hasNonNull("mergedAt") ? Instant.parse(n.get("mergedAt").asText()) : null,
            Instant.parse(required(n, "fetchedAt"))));
      }
      revisions.put(c.getKey(), revs);
      if (c.getValue().hasNonNull("latest")) {
        latest.put(c.getKey(), c.getValue().get("latest").asText());
      }
    }
    return new PatchIndex(file, revisions, latest);
  }

  private static String required(JsonNode n, String field) {
    if (!n.hasNonNull(field)) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    return n.get(field).asText();
  }
}
