package dev.refit.pipeline.rebuild;

import dev.refit.error.Causes;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes delta layers as reproducible gzip tars in the work dir, computing each blob digest (gzip
 * bytes) and diff_id (tar bytes) while streaming. Blocking; stateless, thread-safe.
 *
 * <p>The bytes are those jib-core's {@code ReproducibleLayerBuilder} and cache writer produce for
 * the same entries (so a layer keeps the digest the {@code jib} builder gives it), except that the
 * setuid, setgid and sticky bits survive: entries sorted by tar name; every missing parent
 * directory added as root:root 0755; mtime, atime, ctime and creation time epoch + 1 s (the last
 * three as PAX headers, as jib writes them); empty user and group names; PAX headers for long names
 * and big numbers; {@link GZIPOutputStream} at its default level (header mtime 0, no name).
 */
final class LayerWriter {

  /** jib's fixed entry time, {@code FileEntriesLayer.DEFAULT_MODIFICATION_TIME}, in seconds. */
  private static final String TIME = Long.toString(DeltaLayer.MTIME.getEpochSecond());

  private LayerWriter() {}

  /**
   * One layer per element of {@code contents}, in order, written under {@code dir}; parents take
   * their metadata from {@code base} (may be null) as {@link DeltaLayer#entries} says, a parent
   * the base lacks from all of {@code contents} together (the layers of one result, as
   * {@link LayerPartition} splits it, with disjoint paths). An empty content adds no layer (as jib
   * does), so the result may be shorter than {@code contents}.
   */
  static List<NewLayer> write(List<PatchResult> contents, FileSource base, Path dir) {
    return write(contents, base, dir, null, d -> false);
  }

  /**
   * As {@link #write(List, FileSource, Path)}, skipping a layer {@code memo} knows (may be null)
   * while {@code present} says the target registry holds its blob: that layer comes back with no
   * file, already in place.
   */
  static List<NewLayer> write(List<PatchResult> contents, FileSource base, Path dir, LayerMemo memo,
      Predicate<Descriptor> present) {
    List<ChangedFile> changed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    contents.forEach(c -> {
      changed.addAll(c.changed());
      deleted.addAll(c.deleted());
    });
    PatchResult whole = contents.size() == 1 ? contents.get(0) : new PatchResult(changed, deleted);
    List<NewLayer> layers = new ArrayList<>();
    Map<Path, ChangedFile> bySource = new HashMap<>();
    changed.forEach(f -> bySource.put(f.content(), f));
    for (PatchResult content : contents) {
      if (content.changed().isEmpty() && content.deleted().isEmpty()) {
        continue;
      }
      List<LayerEntry> entries = DeltaLayer.entries(content, base, whole);
      Optional<String> key = memo == null ? Optional.empty()
          : LayerMemo.key(entries, bySource);
      Optional<LayerMemo.Known> known = key.flatMap(k -> memo.find(k))
          .filter(k -> present.test(k.descriptor()));
      if (known.isPresent()) {
        layers.add(new NewLayer(null, known.get().descriptor(), known.get().diffId()));
        continue;
      }
      NewLayer written = write(entries, dir);
      key.ifPresent(k -> memo.remember(k, written));
      layers.add(written);
    }
    return layers;
  }

  /** One layer of {@code entries} (and their missing parents), as {@code dir/<hex>.tar.gz}. */
  static NewLayer write(List<LayerEntry> entries, Path dir) {
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "layer", ".tmp");
      HashingOutputStream compressed;
      HashingOutputStream plain;
      try (OutputStream file = compressed = HashingOutputStream.sha256(Files.newOutputStream(temp));
          GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(
              plain = HashingOutputStream.sha256(gzip), StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (TarItem e : tarEntries(entries)) {
          tar.putArchiveEntry(e.entry());
          if (e.source() != null) {
            try (InputStream in = Files.newInputStream(e.source())) {
              in.transferTo(tar);
            }
          }
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      Digest blob = compressed.digest();
      Path file = dir.resolve(blob.hex() + ".tar.gz");
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      return new NewLayer(file, Descriptor.of(MediaType.OCI_LAYER_GZIP, blob, compressed.count()),
          plain.digest());
    } catch (IOException e) {
      throw new RebuildException("writing the delta layer in the work dir failed: " + Causes.describe(e)
          + "; check free space and permissions there", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // Deliberately ignored: a leftover temp file is harmless and would hide the real outcome.
        }
      }
    }
  }

  /**
   * The tar entries (with the file each one's bytes come from, or null), parents added and sorted
   * by tar name as jib does; the first entry for a name wins.
   */
  private static List<TarItem> tarEntries(List<LayerEntry> entries)
      throws IOException {
    Map<String, TarItem> byName = new LinkedHashMap<>();
    for (LayerEntry e : entries) {
      String name = e.path().substring(1);
      addParents(byName, name);
      long size = e.source() == null || e.directory() ? 0 : Files.size(e.source());
      TarArchiveEntry t = entry(name, e.directory(), size, e.mode(), e.uid(), e.gid());
      byName.putIfAbsent(t.getName(), new TarItem(t, e.directory() ? null : e.source()));
    }
    List<TarItem> sorted = new ArrayList<>(byName.values());
    sorted.sort(Comparator.comparing(e -> e.entry().getName()));
    return sorted;
  }

  private static void addParents(Map<String, TarItem> byName, String name) {
    int slash = name.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String parent = name.substring(0, slash);
    if (!byName.containsKey(parent + "/")) {
      addParents(byName, parent);
      byName.put(parent + "/", new TarItem(entry(parent, true, 0, 0755, 0, 0), null));
    }
  }

  /** A tar entry and the file its bytes come from (null: none). */
  private record TarItem(TarArchiveEntry entry, Path source) {}

  /** A tar entry with exactly the fields jib's builder leaves set. */
  private static TarArchiveEntry entry(String name, boolean directory, long size, int mode, long uid,
      long gid) {
    TarArchiveEntry t = new TarArchiveEntry(directory ? name + "/" : name);
    t.setMode((directory ? TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~07777)
        | (mode & 07777));
    t.setSize(size);
    t.setUserId(uid);
    t.setGroupId(gid);
    t.setUserName("");
    t.setGroupName("");
    for (String time : List.of("mtime", "atime", "ctime", "LIBARCHIVE.creationtime")) {
      t.addPaxHeader(time, TIME);
    }
    return t;
  }
}
