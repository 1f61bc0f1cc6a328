package dev.refit.pipeline.rebuild;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a {@link PatchResult} into the entries of the one layer a rebuild adds on top of its base:
 * refit's own {@link LayerEntry} list, or a jib layer for the {@code jib} builder.
 * Thread-safe (stateless); {@link #of} is blocking (it may create one empty file).
 *
 * <p>Changed files keep their mode bits and numeric {@code uid:gid}; every entry carries the same
 * fixed modification time ({@link FileEntriesLayer#DEFAULT_MODIFICATION_TIME}, epoch + 1 s) and
 * jib's ReproducibleLayerBuilder sorts entries by path, so the layer bytes depend only on the
 * result. Deletions become whiteouts: an empty {@code .wh.<name>} entry in the parent directory,
 * as OCI image-spec layer.md ("Whiteouts") defines.
 *
 * <p>jib writes an entry for every parent directory. Given a view of the base ({@link BaseFiles}),
 * parents that exist in the base keep the base's mode and owner; new ones, or all of them without
 * a view, get jib's {@code root:root 0755}; with a view, new parents get 0755 and the owner the
 * docker builder gives them ({@link #newDirectoryOwner}). {@link #entries} keeps all 12 mode bits
 * ({@link LayerWriter} writes them); jib's {@link FilePermissions} holds only the 0777 bits, so
 * for the {@code jib} builder {@link #specialModes} names the entries whose setuid, setgid or
 * sticky bit {@link FullModeLayer} puts back after jib's push.
 */
public final class DeltaLayer {

  /** The whiteout prefix from OCI image-spec layer.md. */
  public static final String WHITEOUT_PREFIX = ".wh.";

  static final Instant MTIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  private DeltaLayer() {}

  /**
   * The layer for {@code result}; {@code workDir} receives the empty file that whiteout entries
   * are read from.
   */
  public static FileEntriesLayer of(PatchResult result, Path workDir) {
    return of(result, workDir, null);
  }

  /**
   * The layer for {@code result}, with each parent directory that exists in {@code base} carrying
   * the base's mode and owner ({@code base} may be null: then jib's root:root 0755 applies), as
   * jib entries: only the 0777 bits survive ({@link #specialModes} names the others).
   *
   * @throws RebuildException when a path goes through a symlink in the base (a directory entry
   *     there would replace the link)
   */
  public static FileEntriesLayer of(PatchResult result, Path workDir, FileSource base) {
    List<FileEntry> entries = new ArrayList<>();
    for (LayerEntry e : entries(result, base)) {
      Path source = e.directory() ? emptyDir(workDir) : e.source() == null ? emptyFile(workDir) : e.source();
      entries.add(new FileEntry(source, AbsoluteUnixPath.get(e.path()),
          FilePermissions.fromOctalString(String.format("%03o", e.mode() & 0777)), MTIME,
          e.uid() + ":" + e.gid()));
    }
    return FileEntriesLayer.builder().setName("refit-delta").setEntries(entries).build();
  }

  /**
   * The explicit entries of the layer for {@code result}, sorted by path, with their full 12 mode
   * bits: parent directories taken from {@code base} (may be null) or created with a non-root
   * owner ({@link #newDirectoryOwner}), changed files, and whiteouts. Parents not listed are
   * root:root 0755, added by whoever writes the tar (jib, {@link LayerWriter}).
   *
   * @throws RebuildException when a path goes through a symlink in the base
   */
  public static List<LayerEntry> entries(PatchResult result, FileSource base) {
    return entries(result, base, result);
  }

  /**
   * The entries of one layer of {@code whole} ({@link LayerPartition}): as {@link #entries(
   * PatchResult, FileSource)} for {@code layer}, except that a parent directory the base lacks
   * takes its owner from {@code whole}, so every layer that writes it writes it alike, and as the
   * docker builder creates it.
   */
  public static List<LayerEntry> entries(PatchResult layer, FileSource base, PatchResult whole) {
    PatchResult result = layer;
    List<LayerEntry> entries = new ArrayList<>();
    if (base != null) {
      for (String dir : ancestors(result)) {
        Optional<dev.refit.patches.fs.FileEntry> found = base.entry(dir);
        if (found.isEmpty()) {
          String owner = newDirectoryOwner(whole, dir);
          if (!owner.equals("0:0")) {
            int colon = owner.indexOf(':');
            entries.add(LayerEntry.directory(absolute(dir), 0755,
                Integer.parseInt(owner.substring(0, colon)), Integer.parseInt(owner.substring(colon + 1))));
          }
          continue;
        }
        dev.refit.patches.fs.FileEntry e = found.get();
        if (!e.isDirectory()) {
          throw new RebuildException("the patch result changes a path below /" + dir
              + ", which is a " + e.type() + " in the base image, not a directory;"
              + " patch the real path the link points to");
        }
        entries.add(LayerEntry.directory(absolute(dir), e.mode() & 07777, e.uid(), e.gid()));
      }
    }
    for (ChangedFile f : result.changed()) {
      entries.add(new LayerEntry(absolute(f.path()), f.content(), false, f.mode() & 07777, f.uid(), f.gid()));
    }
    for (String deleted : result.deleted()) {
      entries.add(new LayerEntry(whiteout(deleted), null, false, 0644, 0, 0));
    }
    entries.sort(Comparator.comparing(LayerEntry::path));
    return entries;
  }

  /**
   * The entries of the layer for {@code result} (and {@code base}, may be null, as in {@link #of})
   * whose mode has a setuid, setgid or sticky bit, which jib drops: relative path → the 12 mode
   * bits. Empty for most results, and then jib's layer is already exact.
   */
  public static Map<String, Integer> specialModes(PatchResult result, FileSource base) {
    Map<String, Integer> modes = new TreeMap<>();
    if (base != null) {
      for (String dir : ancestors(result)) {
        base.entry(dir).filter(e -> e.isDirectory() && (e.mode() & 07000) != 0)
            .ifPresent(e -> modes.put(dir, e.mode() & 07777));
      }
    }
    for (ChangedFile f : result.changed()) {
      if ((f.mode() & 07000) != 0) {
        modes.put(absolute(f.path()).substring(1), f.mode() & 07777);
      }
    }
    return modes;
  }

  /**
   * The {@code uid:gid} of a parent directory the base does not have, as the docker builder's
   * copy style creates it: changed files are COPYed per (directory, uid, gid) in that order, and
   * a {@code COPY --chown} gives the directories it creates its owner (Dockerfile reference,
   * "COPY --chown"), so the first such group below {@code dir} decides. Matching it keeps the two
   * builders equivalent; the mode is 0755 either way.
   */
  static String newDirectoryOwner(PatchResult result, String dir) {
    String prefix = dir + "/";
    return result.changed().stream()
        .filter(f -> absolute(f.path()).substring(1).startsWith(prefix))
        .min(Comparator.comparing((ChangedFile f) -> parent(f.path()))
            .thenComparingInt(ChangedFile::uid).thenComparingInt(ChangedFile::gid))
        .map(f -> f.uid() + ":" + f.gid())
        .orElse("0:0");
  }

  private static String parent(String path) {
    String p = absolute(path).substring(1);
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "" : p.substring(0, slash);
  }

  /** Every parent directory of a changed or deleted path, relative, in path order. */
  public static Set<String> ancestors(PatchResult result) {
    Set<String> dirs = new TreeSet<>();
    List<String> paths = new ArrayList<>(result.deleted());
    result.changed().forEach(f -> paths.add(f.path()));
    for (String path : paths) {
      String p = absolute(path).substring(1);
      for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
        dirs.add(p.substring(0, i));
      }
    }
    return dirs;
  }

  /** {@code /a/b/.wh.c} for the deleted path {@code a/b/c}. */
  public static String whiteout(String deletedPath) {
    String p = absolute(deletedPath);
    int slash = p.lastIndexOf('/');
    return p.substring(0, slash + 1) + WHITEOUT_PREFIX + p.substring(slash + 1);
  }

  private static String absolute(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.equals("/")) {
      throw new IllegalArgumentException("a patch result names the image root as a file: '" + path + "'");
    }
    return p;
  }

  private static Path emptyDir(Path workDir) {
    try {
      return Files.createDirectories(workDir.resolve("empty.dir"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the empty directory source in " + workDir, e);
    }
  }

  private static Path emptyFile(Path workDir) {
    try {
      Path empty = Files.createDirectories(workDir).resolve("whiteout.empty");
      if (!Files.exists(empty) || Files.size(empty) != 0) {
        Files.write(empty, new byte[0]);
      }
      return empty;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the empty whiteout source in " + workDir, e);
    }
  }
}
