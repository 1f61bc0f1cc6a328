package dev.refit.patches.image;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import dev.refit.patches.inflate.GzipReader;
import dev.refit.registry.oci.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Builds a {@link LayerIndex} in one pass over a layer blob (plain or gzip tar), checking on the
 * way that the blob's bytes hash to its digest: an index is never made of bytes that are not the
 * layer. Blocking; stateless.
 */
final class LayerIndexer {
  /** OCI image-spec layer.md, "Whiteouts": prefix of a whiteout file's name. */
  static final String WHITEOUT_PREFIX = ".wh.";
  /** OCI image-spec layer.md, "Opaque Whiteout". */
  static final String OPAQUE = ".wh..wh..opq";

  private LayerIndexer() {}

  static LayerIndex build(Path blob, Digest digest, String layerName) throws IOException {
    LayerIndex.Compression compression = compression(blob, layerName);
    MessageDigest hasher = digest.algorithm().newHasher();
    List<LayerIndex.Checkpoint> checkpoints = new ArrayList<>();
    try (DigestInputStream raw = new DigestInputStream(Files.newInputStream(blob), hasher)) {
      InputStream tarBytes;
      if (compression == LayerIndex.Compression.GZIP) {
        byte[] window = new byte[GzipReader.WINDOW];
        tarBytes = GzipReader.open(raw, (bit, out, reader) -> {
          long last = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).outOffset();
          if (out - last >= LayerIndex.SPAN) {
            checkpoints.add(LayerIndex.Checkpoint.of(out, bit, window, reader.window(window)));
          }
        });
      } else {
        tarBytes = new BufferedInputStream(raw, 64 * 1024);
      }
      Counting counted = new Counting(tarBytes);
      Table table = readTable(counted, layerName);
      counted.transferTo(OutputStream.nullOutputStream()); // the tar's padding; gzip's trailer
      raw.transferTo(OutputStream.nullOutputStream());
      Digest actual = Digest.of(digest.algorithm(), hasher.digest());
      if (!actual.equals(digest)) {
        throw new ImageReadException("layer " + layerName + " does not match its digest (read "
            + actual + "); refusing to index it");
      }
      return new LayerIndex(digest, compression, Files.size(blob), counted.count, table.entries,
          table.whiteouts, table.opaque, checkpoints);
    }
  }

  private record Table(List<LayerIndex.Entry> entries, Set<String> whiteouts, Set<String> opaque) {}

  private static Table readTable(Counting tarBytes, String layerName) throws IOException {
    List<LayerIndex.Entry> entries = new ArrayList<>();
    Set<String> whiteouts = new HashSet<>();
    Set<String> opaque = new HashSet<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      String path;
      try {
        path = PathSafety.normalise(stripDotSlash(e.getName()));
      } catch (UnsafePathException bad) {
        throw new ImageReadException("layer " + layerName + " has an unsafe entry name '"
            + e.getName() + "'; refusing to read it", bad);
      }
      if (path.isEmpty()) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      String dir = PathSafety.parent(path);
      if (name.equals(OPAQUE)) {
        opaque.add(dir);
      } else if (name.startsWith(WHITEOUT_PREFIX)) {
        String hidden = name.substring(WHITEOUT_PREFIX.length());
        whiteouts.add(dir.isEmpty() ? hidden : dir + "/" + hidden);
      } else {
        FileEntry entry = toEntry(path, e);
        // Sparse files' data is not one run of bytes; they stay listed, their content unreadable.
        long offset = entry.isFile() && !e.isSparse() ? tarBytes.count : -1;
        entries.add(new LayerIndex.Entry(entry, offset));
      }
    }
    return new Table(entries, whiteouts, opaque);
  }

  private static FileEntry toEntry(String path, TarArchiveEntry e) {
    int uid = (int) e.getLongUserId();
    int gid = (int) e.getLongGroupId();
    int mode = e.getMode() & 07777;
    if (e.isSymbolicLink()) {
      return new FileEntry(path, EntryType.SYMLINK, mode, uid, gid, 0, e.getLinkName());
    }
    if (e.isLink()) {
      return new FileEntry(path, EntryType.HARDLINK, mode, uid, gid, 0,
          PathSafety.normalise(stripDotSlash(e.getLinkName())));
    }
    if (e.isDirectory()) {
      return new FileEntry(path, EntryType.DIRECTORY, mode, uid, gid, 0, null);
    }
    // Before isFile(), which commons-compress also answers true for devices and fifos.
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      EntryType type = e.isCharacterDevice() ? EntryType.CHAR_DEVICE
          : e.isBlockDevice() ? EntryType.BLOCK_DEVICE : EntryType.FIFO;
      return new FileEntry(path, type, mode, uid, gid, 0, null);
    }
    if (e.isFile()) {
      return new FileEntry(path, EntryType.FILE, mode, uid, gid, e.getSize(), null);
    }
    return new FileEntry(path, EntryType.OTHER, mode, uid, gid, 0, null);
  }

  private static String stripDotSlash(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    return n;
  }

  /** By magic bytes: gzip (1f 8b), else plain tar; zstd is refused. */
  static LayerIndex.Compression compression(Path blob, String layerName) throws IOException {
    byte[] magic;
    try (InputStream in = Files.newInputStream(blob)) {
      magic = in.readNBytes(4);
    }
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return LayerIndex.Compression.GZIP;
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      throw new ImageReadException("layer " + layerName + " is zstd-compressed, which refit"
          + " cannot read yet; use gzip or uncompressed layers");
    }
    return LayerIndex.Compression.PLAIN;
  }

  /** Counts the tar bytes handed to the tar reader: after a header, the entry's data offset. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = in.skip(n);
      count += k;
      return k;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
