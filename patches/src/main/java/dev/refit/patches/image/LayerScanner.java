package dev.refit.patches.image;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams one layer tar (plain or gzip) once, recording the entries a request wants, extracting
 * requested files' content, and collecting whiteout markers. Blocking; stateless.
 */
final class LayerScanner {
  /** OCI image-spec layer.md, "Whiteouts": prefix of a whiteout file's name. */
  static final String WHITEOUT_PREFIX = ".wh.";
  /** OCI image-spec layer.md, "Opaque Whiteout". */
  static final String OPAQUE = ".wh..wh..opq";

  private LayerScanner() {}

  static LayerScan scan(InputStream blob, String layerName, PathRequest request, Path contentDir)
      throws IOException {
    Map<String, FileEntry> entries = new HashMap<>();
    Map<String, Path> contents = new HashMap<>();
    Set<String> whiteouts = new HashSet<>();
    Set<String> opaque = new HashSet<>();
    Set<String> implicitDirs = new HashSet<>();
    Set<String> examinedDirs = new HashSet<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(blob, layerName))) {
      int seq = 0;
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
        addImplicitParents(dir, request, examinedDirs, implicitDirs);
        if (name.equals(OPAQUE)) {
          opaque.add(dir);
          continue;
        }
        if (name.startsWith(WHITEOUT_PREFIX)) {
          String hidden = name.substring(WHITEOUT_PREFIX.length());
          whiteouts.add(dir.isEmpty() ? hidden : dir + "/" + hidden);
          continue;
        }
        if (!request.wants(path)) {
          continue;
        }
        FileEntry entry = toEntry(path, e);
        entries.put(path, entry);
        if (entry.isFile() && request.paths().contains(path)) {
          Files.createDirectories(contentDir);
          Path target = contentDir.resolve(String.valueOf(seq++));
          Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          contents.put(path, target);
        }
      }
    }
    // Tars may omit parent directory headers; an entry below a path proves it is a directory.
    for (String d : implicitDirs) {
      entries.putIfAbsent(d, FileEntry.directory(d, 0755, 0, 0));
    }
    return new LayerScan(request, entries, contents, whiteouts, opaque);
  }

  /** Each directory is examined once per layer, so deep trees cost one check per directory. */
  private static void addImplicitParents(String dir, PathRequest request, Set<String> examined,
      Set<String> out) {
    for (String d = dir; !d.isEmpty() && examined.add(d); d = PathSafety.parent(d)) {
      if (request.wants(d)) {
        out.add(d);
      }
    }
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

  /** Picks the decompressor by magic bytes: gzip (1f 8b), else plain tar; zstd is refused. */
  private static InputStream decompressed(InputStream blob, String layerName) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 64 * 1024);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in, true);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      throw new ImageReadException("layer " + layerName + " is zstd-compressed, which refit"
          + " cannot read yet; use gzip or uncompressed layers");
    }
    return in;
  }
}
