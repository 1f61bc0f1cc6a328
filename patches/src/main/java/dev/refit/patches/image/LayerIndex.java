package dev.refit.patches.image;

import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.PathSafety;
import dev.refit.registry.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What one layer blob holds, kept so that later runs answer any {@link PathRequest} without
 * decompressing the layer again (after SOCI and eStargz tables of contents): every entry with
 * where its data starts in the uncompressed tar, the whiteout markers (OCI image-spec layer.md,
 * "Whiteouts"), and for gzip layers a checkpoint about every {@link #SPAN} bytes of tar from which
 * decoding can start (zlib's examples/zran.c). Immutable and thread-safe.
 *
 * @param entries every entry but the markers, in tar order (a later duplicate wins)
 * @param checkpoints ascending by {@link Checkpoint#outOffset}; empty for a plain tar
 */
record LayerIndex(Digest digest, Compression compression, long blobSize, long tarSize,
    List<Entry> entries, Set<String> whiteouts, Set<String> opaqueDirs,
    List<Checkpoint> checkpoints) {

  /** Uncompressed bytes between checkpoints, at least: bounds what a content read inflates. */
  static final long SPAN = 4L * 1024 * 1024;

  enum Compression { PLAIN, GZIP }

  /** @param dataOffset where a regular file's bytes start in the tar, else -1 */
  record Entry(FileEntry file, long dataOffset) {}

  /**
   * A deflate block boundary: decoding can start at {@code bitOffset} of the blob with the 32 KiB
   * of tar before {@code outOffset} as its history, kept raw-DEFLATE packed ({@link #window()}).
   */
  record Checkpoint(long outOffset, long bitOffset, int windowSize, byte[] packedWindow) {
    static Checkpoint of(long outOffset, long bitOffset, byte[] window, int size) {
      Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
      try {
        deflater.setInput(window, 0, size);
        deflater.finish();
        ByteArrayOutputStream packed = new ByteArrayOutputStream(size / 2);
        byte[] buf = new byte[16 * 1024];
        while (!deflater.finished()) {
          packed.write(buf, 0, deflater.deflate(buf));
        }
        return new Checkpoint(outOffset, bitOffset, size, packed.toByteArray());
      } finally {
        deflater.end();
      }
    }

    byte[] window() throws IOException {
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(packedWindow);
        byte[] window = new byte[windowSize];
        if (inflater.inflate(window) != windowSize) {
          throw new IOException("a checkpoint window is short");
        }
        return window;
      } catch (DataFormatException e) {
        throw new IOException("a checkpoint window is unreadable", e);
      } finally {
        inflater.end();
      }
    }
  }

  /** What a request sees of this layer, before any content is read. */
  record Selection(Map<String, Entry> entries, Set<String> whiteouts, Set<String> opaqueDirs) {
    Selection {
      entries = Map.copyOf(entries);
      whiteouts = Set.copyOf(whiteouts);
      opaqueDirs = Set.copyOf(opaqueDirs);
    }
  }

  LayerIndex {
    entries = List.copyOf(entries);
    whiteouts = Set.copyOf(whiteouts);
    opaqueDirs = Set.copyOf(opaqueDirs);
    checkpoints = List.copyOf(checkpoints);
  }

  /** The last checkpoint at or before {@code offset}, or null to start at the blob's beginning. */
  Checkpoint checkpointBefore(long offset) {
    Checkpoint found = null;
    int lo = 0;
    int hi = checkpoints.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Checkpoint c = checkpoints.get(mid);
      if (c.outOffset() <= offset) {
        found = c;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * The entries {@code request} wants, as one streaming pass over the tar would have recorded
   * them: a directory with no header of its own is implied by any entry (or marker) below it.
   */
  Selection select(PathRequest request) {
    Map<String, Entry> wanted = new HashMap<>();
    Set<String> examined = new HashSet<>();
    Set<String> implicit = new HashSet<>();
    for (Entry e : entries) {
      String path = e.file().path();
      addImplicitParents(PathSafety.parent(path), request, examined, implicit);
      if (request.wants(path)) {
        wanted.put(path, e);
      }
    }
    for (String w : whiteouts) {
      addImplicitParents(PathSafety.parent(w), request, examined, implicit);
    }
    for (String d : opaqueDirs) {
      addImplicitParents(d, request, examined, implicit);
    }
    for (String d : implicit) {
      wanted.putIfAbsent(d, new Entry(FileEntry.directory(d, 0755, 0, 0), -1));
    }
    return new Selection(wanted, whiteouts, opaqueDirs);
  }

  /** Each directory is examined once, so deep trees cost one check per directory. */
  private static void addImplicitParents(String dir, PathRequest request, Set<String> examined,
      Set<String> out) {
    for (String d = dir; !d.isEmpty() && examined.add(d); d = PathSafety.parent(d)) {
      if (request.wants(d)) {
        out.add(d);
      }
    }
  }
}
