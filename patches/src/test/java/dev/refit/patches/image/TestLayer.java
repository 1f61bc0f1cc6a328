package dev.refit.patches.image;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Test kit: builds a real layer tar (optionally gzip) with files, dirs, symlinks, hardlinks,
 * whiteouts and opaque markers, written with commons-compress as a registry would serve it.
 */
public final class TestLayer {
  /** A written layer: its blob file, descriptor and uncompressed digest. */
  public record Built(Path file, Descriptor descriptor, Digest diffId) {}

  private interface Item {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private final List<Item> items = new ArrayList<>();

  public static TestLayer create() {
    return new TestLayer();
  }

  public TestLayer dir(String path) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path.endsWith("/") ? path : path + "/");
      e.setMode(040755);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public TestLayer dir(String path, int mode, int uid, int gid) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path.endsWith("/") ? path : path + "/");
      e.setMode(040000 | mode);
      e.setUserId(uid);
      e.setGroupId(gid);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** An entry with no data of tar type {@code linkFlag} (e.g. {@link TarArchiveEntry#LF_FIFO}). */
  public TestLayer special(String path, byte linkFlag, int mode) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path, linkFlag);
      e.setMode(mode);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public TestLayer file(String path, String content) {
    return file(path, content, 0644, 0, 0);
  }

  public TestLayer file(String path, String content, int mode, int uid, int gid) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
  }

  public TestLayer file(String path, byte[] bytes, int mode, int uid, int gid) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path);
      e.setMode(0100000 | mode);
      e.setSize(bytes.length);
      e.setUserId(uid);
      e.setGroupId(gid);
      tar.putArchiveEntry(e);
      tar.write(bytes);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public TestLayer symlink(String path, String target) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(target);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  public TestLayer hardlink(String path, String target) {
    items.add(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(path, TarArchiveEntry.LF_LINK);
      e.setLinkName(target);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    });
    return this;
  }

  /** {@code dir/.wh.name}: hides {@code dir/name} of lower layers. */
  public TestLayer whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String marker = slash < 0 ? ".wh." + path
        : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(marker, "");
  }

  /** {@code dir/.wh..wh..opq}: hides every lower-layer child of {@code dir}. */
  public TestLayer opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "");
  }

  public Built write(Path file, boolean gzip) throws IOException {
    ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item i : items) {
        i.write(tar);
      }
    }
    byte[] plain = tarBytes.toByteArray();
    try (OutputStream out = gzip ? new GzipCompressorOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(plain);
    }
    byte[] blob = Files.readAllBytes(file);
    return new Built(file, Descriptor.of(gzip ? MediaType.OCI_LAYER_GZIP : MediaType.OCI_LAYER,
        Digest.sha256(blob), blob.length), Digest.sha256(plain));
  }
}
