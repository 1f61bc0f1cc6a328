package dev.refit.patches.dockerfile;

import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes build contexts as reproducible tar entries: sorted by name, parents before children,
 * mtime 0, uid/gid 0 with empty user and group names, file modes from the context; file bytes
 * streamed from their work files and checked against the expected size and sha256 on the way.
 * Stateless and thread-safe; blocking.
 */
public final class ContextTar {

  private static final int FILE_TYPE = 0100000;
  private static final int DIR_TYPE = 040000;
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private ContextTar() {}

  /**
   * Writes {@code context} alone as an uncompressed tar with the Dockerfile at its root: the
   * body of a Docker Engine {@code POST /build} or of {@code docker build -}. Does not close
   * {@code out}.
   */
  public static void write(BuildContext context, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = open(out);
    append(tar, context, "");
    tar.finish();
    tar.flush();
  }

  /** A tar stream with the settings every refit archive uses (PAX for long names and big numbers). */
  static TarArchiveOutputStream open(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /**
   * Appends the context's entries under {@code prefix} ("" or ending in '/'), with a directory
   * entry for every parent inside the prefix. The caller writes the prefix's own parents.
   */
  static void append(TarArchiveOutputStream tar, BuildContext context, String prefix) throws IOException {
    // name -> ContextFile or a Slot marker; sorted so equal inputs give equal bytes.
    TreeMap<String, Object> entries = new TreeMap<>();
    if (!prefix.isEmpty()) {
      entries.put(prefix, Slot.DIRECTORY);
    }
    entries.put(prefix + BuildContext.DOCKERFILE, Slot.DOCKERFILE);
    for (ContextFile f : context.files()) {
      for (int slash = f.path().indexOf('/'); slash >= 0; slash = f.path().indexOf('/', slash + 1)) {
        entries.put(prefix + f.path().substring(0, slash + 1), Slot.DIRECTORY);
      }
      entries.put(prefix + f.path(), f);
    }
    for (var e : entries.entrySet()) {
      if (e.getValue() == Slot.DIRECTORY) {
        directory(tar, e.getKey());
      } else if (e.getValue() == Slot.DOCKERFILE) {
        byte[] dockerfile = context.dockerfile().getBytes(StandardCharsets.UTF_8);
        putFile(tar, e.getKey(), dockerfile.length, 0644);
        tar.write(dockerfile);
        tar.closeArchiveEntry();
      } else {
        ContextFile f = (ContextFile) e.getValue();
        putFile(tar, e.getKey(), f.size(), f.mode());
        copyVerified(tar, context.service(), f);
        tar.closeArchiveEntry();
      }
    }
  }

  /** Entries that are not context files. */
  private enum Slot { DIRECTORY, DOCKERFILE }

  static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_DIR);
    normalise(entry, DIR_TYPE | 0755);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void putFile(TarArchiveOutputStream tar, String name, long size, int mode) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    normalise(entry, FILE_TYPE | mode);
    entry.setSize(size);
    tar.putArchiveEntry(entry);
  }

  private static void normalise(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setLastModifiedTime(EPOCH);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
  }

  /**
   * Streams exactly {@code f.size()} bytes into the entry and checks the digest before the entry
   * is closed; a work file that changed since the patch was applied fails the whole write.
   */
  private static void copyVerified(OutputStream out, String service, ContextFile f) throws IOException {
    // Not closed: closing would close the tar entry's stream under it.
    HashingOutputStream hashed = HashingOutputStream.sha256(out);
    long remaining = f.size();
    try (InputStream in = Files.newInputStream(f.content())) {
      byte[] buf = new byte[64 * 1024];
      while (remaining > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) {
          throw changed(service, f, "it is shorter than the expected " + f.size() + " bytes");
        }
        hashed.write(buf, 0, n);
        remaining -= n;
      }
      if (in.read() >= 0) {
        throw changed(service, f, "it is longer than the expected " + f.size() + " bytes");
      }
    }
    Digest actual = hashed.digest();
    if (!actual.equals(f.sha256())) {
      throw changed(service, f, "its sha256 is " + actual + ", expected " + f.sha256());
    }
  }

  private static DockerfileException changed(String service, ContextFile f, String what) {
    return new DockerfileException("image " + service + ": the content of " + f.path() + " ("
        + f.content().getFileName() + ") changed after it was patched: " + what
        + "; run the patch stage again");
  }
}
