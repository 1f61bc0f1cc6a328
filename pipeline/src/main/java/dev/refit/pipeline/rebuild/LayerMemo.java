package dev.refit.pipeline.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.error.Causes;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layers the daemonless builder wrote before, by what they hold, so an unchanged layer of a
 * partitioned result is neither gzipped nor uploaded again (the dev loop: one file of a 300 MB
 * install tree changes, one of its layers is written). One small JSON file per layer under
 * {@code <cache>/layer-memo/v1/}, written atomically; deleting the folder is always safe.
 * Thread-safe (files are replaced whole).
 *
 * <p>The key is a sha256 over the writer's format and every entry as {@link LayerWriter} writes it
 * (path, directory or not, all 12 mode bits, owner, and the sha256 and size of the content), so
 * equal keys mean equal tar bytes and therefore the same blob digest and diff_id: the memo only
 * skips work, it never changes what is built. An entry is used only while the target registry
 * still has the blob (the caller checks with a HEAD).
 */
final class LayerMemo {
  /** Bump with any change to the bytes {@link LayerWriter} writes for the same entries. */
  static final String FORMAT = "refit-layer-memo/1 layer-writer/1";

  /** A layer written before: its descriptor and diff_id. */
  record Known(Descriptor descriptor, Digest diffId) {}

  private static final System.Logger LOG = System.getLogger(LayerMemo.class.getName());

  private final Path dir;

  private LayerMemo(Path dir) {
    this.dir = dir;
  }

  /** The memo kept under {@code cacheDir}. */
  static LayerMemo in(Path cacheDir) {
    return new LayerMemo(cacheDir.resolve("layer-memo").resolve("v1"));
  }

  /**
   * The key of a layer of {@code entries}, whose file contents are the {@code changed} files by
   * content path; empty when an entry's content is not among them (then nothing is remembered).
   */
  static Optional<String> key(List<LayerEntry> entries, Map<Path, ChangedFile> changed) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    for (LayerEntry e : entries) {
      String content = "";
      if (e.source() != null) {
        ChangedFile f = changed.get(e.source());
        if (f == null) {
          return Optional.empty();
        }
        content = f.sha256() + "\0" + f.size();
      }
      text.append(e.path()).append('\0').append(e.directory()).append('\0')
          .append(Integer.toOctalString(e.mode())).append('\0').append(e.uid()).append('\0')
          .append(e.gid()).append('\0').append(content).append('\n');
    }
    return Optional.of(Digest.sha256(text.toString().getBytes(StandardCharsets.UTF_8)).hex());
  }

  /** The layer remembered under {@code key}; empty when unknown or unreadable. Blocking. */
  Optional<Known> find(String key) {
    Path file = dir.resolve(key + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.mapper().readTree(file.toFile());
      return Optional.of(new Known(
          Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(n.get("digest").asText()),
              n.get("size").asLong()),
          Digest.parse(n.get("diffId").asText())));
    } catch (IOException | RuntimeException e) {
      // A damaged entry costs one layer write, which replaces it.
      return Optional.empty();
    }
  }

  /** Remembers {@code layer} under {@code key}; a failure only costs a later rewrite. Blocking. */
  void remember(String key, NewLayer layer) {
    try {
      Files.createDirectories(dir);
      byte[] json = Json.mapper().writeValueAsBytes(Map.of("digest", layer.descriptor().digest().toString(),
          "size", layer.descriptor().size(), "diffId", layer.diffId().toString()));
      AtomicFile.write(dir.resolve(key + ".json"), json);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remember the layer " + layer.descriptor().digest()
          + " (" + Causes.describe(e) + "); a later build writes it again");
    }
  }
}
