package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a bundle tar in one pass: each entry's size comes from its descriptor, its bytes stream
 * from the source through a hash, and a blob whose bytes do not match its descriptor fails the
 * whole file. Each blob is written once. Entries carry a fixed time and mode, so the same images
 * make the same file. Blocking; one thread.
 */
final class BundleWriter implements AutoCloseable {
  private static final int COPY_BUFFER = 1024 * 1024;
  private static final Date EPOCH = new Date(0);

  private final TarArchiveOutputStream tar;
  private final Set<Digest> written = new HashSet<>();
  private final List<BundleIndex.Blob> blobs = new ArrayList<>();

  private BundleWriter(OutputStream out) {
    this.tar = new TarArchiveOutputStream(new BufferedOutputStream(out, COPY_BUFFER));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  static BundleWriter create(Path file) throws IOException {
    return new BundleWriter(Files.newOutputStream(file));
  }

  void directory(String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    entry.setModTime(EPOCH);
    entry.setMode(040755);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  void file(String name, byte[] bytes) throws IOException {
    tar.putArchiveEntry(entry(name, bytes.length));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  boolean has(Digest digest) {
    return written.contains(digest);
  }

  /** A blob whose bytes are in memory already (a manifest), checked like any other. */
  void blob(Descriptor descriptor, byte[] bytes) throws IOException {
    blob(descriptor, new java.io.ByteArrayInputStream(bytes));
  }

  /** Streams {@code in} into {@code blobs/ALG/HEX}; the caller closes {@code in}. */
  void blob(Descriptor descriptor, InputStream in) throws IOException {
    Digest digest = descriptor.digest();
    if (!written.add(digest)) {
      return;
    }
    tar.putArchiveEntry(entry(BundleFormat.blobEntry(digest), descriptor.size()));
    HashingOutputStream hashing = new HashingOutputStream(new Unclosable(tar), digest.algorithm());
    byte[] buffer = new byte[COPY_BUFFER];
    long remaining = descriptor.size();
    int n;
    while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
      hashing.write(buffer, 0, n);
      remaining -= n;
    }
    boolean longer = remaining == 0 && in.read() >= 0;
    if (remaining > 0 || longer || !hashing.digest().equals(digest)) {
      throw new RefitException("blob " + digest + " from the source does not match its descriptor ("
          + (remaining > 0 ? "it ended " + remaining + " bytes short" : longer ? "it is longer than "
          + descriptor.size() + " bytes" : "its bytes hash to " + hashing.digest()) + "); no bundle was written",
          "the source holds a corrupt blob: repair or re-mirror it, then run bundle create again", ExitCode.FAILED);
    }
    tar.closeArchiveEntry();
    blobs.add(new BundleIndex.Blob(digest.toString(), descriptor.size()));
  }

  /** The blobs written so far, in entry order. */
  List<BundleIndex.Blob> blobs() {
    return List.copyOf(blobs);
  }

  /** Writes the tar's end-of-archive records; the caller then moves the file into place. */
  void finish() throws IOException {
    tar.finish();
    tar.flush();
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setModTime(EPOCH);
    entry.setMode(0100644);
    return entry;
  }

  /** Keeps the hash stream from closing the tar with it. */
  private static final class Unclosable extends java.io.FilterOutputStream {
    Unclosable(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {}
  }
}
