package dev.refit.patches.image;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.inflate.GzipReader;
import dev.refit.registry.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The on-disk form of a {@link LayerIndex}, version 2 (device and fifo types named). Big-endian
 * throughout:
 *
 * <pre>
 * magic "REFITLIX", u32 version
 * str digest, u8 compression (0 plain, 1 gzip), i64 blob size, i64 tar size
 * u32 n, n × entry: str path, u8 type (f d l h o c b p), u16 mode, i32 uid, i32 gid, i64 size,
 *                   str link target ("" for none), i64 data offset (-1 for none)
 * u32 n, n × str whiteout;  u32 n, n × str opaque dir
 * u32 n, n × checkpoint: i64 tar offset, i64 bit offset, u32 window size, u32 stored size,
 *                        the window packed (raw DEFLATE)
 * 32 bytes: SHA-256 of everything before
 * </pre>
 * (str: u32 byte length, UTF-8). Stateless; thread-safe.
 */
final class LayerIndexFile {
  static final int VERSION = 2;
  private static final byte[] MAGIC = "REFITLIX".getBytes(StandardCharsets.US_ASCII);
  private static final String TYPES = "fdlhocbp";
  private static final int HASH = 32;

  /** The file was cut short, altered, or written by another format version. */
  static final class CorruptException extends IOException {
    CorruptException(String message) {
      super(message);
    }
  }

  private LayerIndexFile() {}

  static byte[] encode(LayerIndex index) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    writeString(out, index.digest().toString());
    out.writeByte(index.compression().ordinal());
    out.writeLong(index.blobSize());
    out.writeLong(index.tarSize());
    out.writeInt(index.entries().size());
    for (LayerIndex.Entry e : index.entries()) {
      FileEntry f = e.file();
      writeString(out, f.path());
      out.writeByte(TYPES.charAt(f.type().ordinal()));
      out.writeShort(f.mode());
      out.writeInt(f.uid());
      out.writeInt(f.gid());
      out.writeLong(f.size());
      writeString(out, f.linkTarget() == null ? "" : f.linkTarget());
      out.writeLong(e.dataOffset());
    }
    writeStrings(out, index.whiteouts());
    writeStrings(out, index.opaqueDirs());
    out.writeInt(index.checkpoints().size());
    for (LayerIndex.Checkpoint c : index.checkpoints()) {
      out.writeLong(c.outOffset());
      out.writeLong(c.bitOffset());
      out.writeInt(c.windowSize());
      out.writeInt(c.packedWindow().length);
      out.write(c.packedWindow());
    }
    out.flush();
    byte[] body = bytes.toByteArray();
    byte[] all = Arrays.copyOf(body, body.length + HASH);
    System.arraycopy(sha256(body, body.length), 0, all, body.length, HASH);
    return all;
  }

  static LayerIndex decode(byte[] file, Digest expected) throws CorruptException {
    if (file.length < MAGIC.length + 4 + HASH) {
      throw new CorruptException("truncated (" + file.length + " bytes)");
    }
    int bodyLength = file.length - HASH;
    if (!Arrays.equals(sha256(file, bodyLength), 0, HASH, file, bodyLength, file.length)) {
      throw new CorruptException("checksum mismatch (truncated or altered)");
    }
    if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptException("not a refit layer index");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, MAGIC.length,
        bodyLength - MAGIC.length));
    try {
      int version = in.readInt();
      if (version != VERSION) {
        throw new CorruptException("format version " + version + ", expected " + VERSION);
      }
      Digest digest = Digest.parse(readString(in));
      if (!digest.equals(expected)) {
        throw new CorruptException("indexes " + digest + ", expected " + expected);
      }
      LayerIndex.Compression compression = LayerIndex.Compression.values()[in.readUnsignedByte()];
      long blobSize = in.readLong();
      long tarSize = in.readLong();
      int n = in.readInt();
      List<LayerIndex.Entry> entries = new ArrayList<>(Math.min(n, 1 << 16));
      for (int i = 0; i < n; i++) {
        String path = readString(in);
        EntryType type = EntryType.values()[TYPES.indexOf(in.readUnsignedByte())];
        int mode = in.readUnsignedShort();
        int uid = in.readInt();
        int gid = in.readInt();
        long size = in.readLong();
        String link = readString(in);
        long offset = in.readLong();
        entries.add(new LayerIndex.Entry(new FileEntry(path, type, mode, uid, gid, size,
            link.isEmpty() ? null : link), offset));
      }
      Set<String> whiteouts = readStrings(in);
      Set<String> opaque = readStrings(in);
      int m = in.readInt();
      List<LayerIndex.Checkpoint> checkpoints = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        long out = in.readLong();
        long bit = in.readLong();
        int size = in.readInt();
        int packed = in.readInt();
        if (size < 0 || size > GzipReader.WINDOW || packed < 0 || packed > in.available()) {
          throw new CorruptException("a checkpoint window has a bad size");
        }
        checkpoints.add(new LayerIndex.Checkpoint(out, bit, size, in.readNBytes(packed)));
      }
      if (in.available() != 0) {
        throw new CorruptException("trailing bytes");
      }
      return new LayerIndex(digest, compression, blobSize, tarSize, entries, whiteouts, opaque,
          checkpoints);
    } catch (CorruptException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptException("unreadable: " + e);
    }
  }

  private static void writeStrings(DataOutputStream out, Set<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values.stream().sorted().toList()) {
      writeString(out, v);
    }
  }

  private static Set<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    Set<String> out = new HashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new CorruptException("a string runs past the end");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] b, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
