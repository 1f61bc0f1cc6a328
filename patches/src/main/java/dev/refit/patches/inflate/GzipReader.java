package dev.refit.patches.inflate;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * A gzip (RFC 1952) and raw DEFLATE (RFC 1951) decoder that, unlike {@link java.util.zip.Inflater},
 * reports where each deflate block starts (bit offset in the compressed input, offset in the
 * output) and can start decoding at such a block with the 32 KiB of output before it as its
 * window: the random access of zlib's examples/zran.c. Concatenated members are read one after
 * the other; each member read from its header on has its CRC-32 and ISIZE checked. Blocking;
 * not thread-safe.
 */
public final class GzipReader extends InputStream {
  /** The largest distance a deflate match reaches back (RFC 1951 §3.2.5). */
  public static final int WINDOW = 32 * 1024;

  /** Told of each block boundary inside a member, before the block's header is read. */
  @FunctionalInterface
  public interface Boundaries {
    /** {@link GzipReader#window} gives the output before the boundary. */
    void at(long bitOffset, long outOffset, GzipReader reader) throws IOException;
  }

  private static final int MAX_MATCH = 258;
  private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
  private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3,
      3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
      193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
  private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
      8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
  /** RFC 1951 §3.2.7: the order code length code lengths are sent in. */
  private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3,
      13, 2, 14, 1, 15};

  private enum State { BLOCK_START, STORED, HUFFMAN, MEMBER_END, DONE }

  private final BitInput in;
  private final Boundaries boundaries;
  private final byte[] out = new byte[256 * 1024];
  private final int outLimit = out.length - MAX_MATCH;
  /** Output offset of {@code out[0]}. */
  private long outBase;
  private int outPos;
  private int readPos;
  private State state = State.BLOCK_START;
  private boolean lastBlock;
  private int storedLeft;
  private final Huffman lit = new Huffman(10);
  private final Huffman dist = new Huffman(8);
  private final Huffman lengthCode = new Huffman(7);
  private final byte[] lengths = new byte[320];
  private Huffman curLit;
  private Huffman curDist;
  private static final Huffman FIXED_LIT = new Huffman(10);
  private static final Huffman FIXED_DIST = new Huffman(8);
  /** Whether this member was read from its header, so its CRC-32 and size can be checked. */
  private boolean memberWhole;
  private final CRC32 crc = new CRC32();
  private int crcPos;
  private long memberStart;

  static {
    byte[] l = new byte[288];
    for (int i = 0; i < 288; i++) {
      l[i] = (byte) (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
    }
    byte[] d = new byte[30];
    java.util.Arrays.fill(d, (byte) 5);
    try {
      FIXED_LIT.build(l, 288);
      FIXED_DIST.build(d, 30);
    } catch (ZipException e) {
      throw new AssertionError(e);
    }
  }

  private GzipReader(InputStream compressed, long startByte, Boundaries boundaries) {
    this.in = new BitInput(compressed, startByte);
    this.boundaries = boundaries;
  }

  /** Reads a gzip file from its first byte, telling {@code boundaries} of every block. */
  public static GzipReader open(InputStream compressed, Boundaries boundaries) throws IOException {
    GzipReader r = new GzipReader(compressed, 0, boundaries);
    r.readHeader();
    return r;
  }

  /**
   * Starts at a block boundary {@link Boundaries} reported.
   *
   * @param compressed the input from byte {@code bitOffset / 8} on
   * @param window the output before the boundary (up to {@link #WINDOW} bytes)
   */
  public static GzipReader resume(InputStream compressed, long bitOffset, long outOffset,
      byte[] window) throws IOException {
    GzipReader r = new GzipReader(compressed, bitOffset >>> 3, (b, o, rd) -> { });
    r.in.skipBits((int) (bitOffset & 7));
    System.arraycopy(window, 0, r.out, 0, window.length);
    r.outPos = r.readPos = r.crcPos = window.length;
    r.outBase = outOffset - window.length;
    r.memberWhole = false;
    return r;
  }

  /** The output offset of the next byte {@link #read} returns. */
  public long position() {
    return outBase + readPos;
  }

  /** The output offset decoding has reached (at most a buffer ahead of {@link #position}). */
  public long decoded() {
    return outBase + outPos;
  }

  /** Copies the output before {@link #decoded()} (at most {@link #WINDOW} bytes) into {@code dst}. */
  public int window(byte[] dst) {
    int n = Math.min(WINDOW, outPos);
    System.arraycopy(out, outPos - n, dst, 0, n);
    return n;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (readPos == outPos) {
      if (state == State.DONE) {
        return -1;
      }
      if (outPos >= outLimit) {
        slide();
      }
      decode();
    }
    int n = Math.min(len, outPos - readPos);
    System.arraycopy(out, readPos, b, off, n);
    readPos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (readPos == outPos) {
        if (state == State.DONE) {
          break;
        }
        if (outPos >= outLimit) {
          slide();
        }
        decode();
        continue;
      }
      int k = (int) Math.min(n - skipped, outPos - readPos);
      readPos += k;
      skipped += k;
    }
    return skipped;
  }

  /** Keeps the last {@link #WINDOW} bytes at the front of the buffer. */
  private void slide() {
    updateCrc();
    int keep = Math.min(outPos, WINDOW);
    System.arraycopy(out, outPos - keep, out, 0, keep);
    outBase += outPos - keep;
    outPos = readPos = crcPos = keep;
  }

  private void updateCrc() {
    if (memberWhole && outPos > crcPos) {
      crc.update(out, crcPos, outPos - crcPos);
    }
    crcPos = outPos;
  }

  /** Decodes until the buffer is full, a block ends, or a stored chunk is copied. */
  private void decode() throws IOException {
    switch (state) {
      case BLOCK_START -> startBlock();
      case STORED -> copyStored();
      case HUFFMAN -> inflateCodes();
      case MEMBER_END -> endMember();
      case DONE -> { }
    }
  }

  private void startBlock() throws IOException {
    if (outBase + outPos > memberStart) {
      boundaries.at(in.bitOffset(), outBase + outPos, this);
    }
    in.need(3);
    lastBlock = in.take(1) == 1;
    int type = in.take(2);
    switch (type) {
      case 0 -> {
        in.alignToByte();
        in.need(32);
        int len = in.take(16);
        int nlen = in.take(16);
        if (len != (~nlen & 0xffff)) {
          throw new ZipException("invalid deflate stream: stored block length check failed");
        }
        storedLeft = len;
        state = State.STORED;
      }
      case 1 -> {
        curLit = FIXED_LIT;
        curDist = FIXED_DIST;
        state = State.HUFFMAN;
      }
      case 2 -> {
        readDynamicTables();
        curLit = lit;
        curDist = dist;
        state = State.HUFFMAN;
      }
      default -> throw new ZipException("invalid deflate stream: reserved block type 3");
    }
  }

  private void blockDone() {
    state = lastBlock ? State.MEMBER_END : State.BLOCK_START;
  }

  private void copyStored() throws IOException {
    if (storedLeft == 0) {
      blockDone();
      return;
    }
    int n = in.readBytes(out, outPos, Math.min(storedLeft, out.length - outPos));
    outPos += n;
    storedLeft -= n;
    if (storedLeft == 0) {
      blockDone();
    }
  }

  /** RFC 1951 §3.2.7. */
  private void readDynamicTables() throws IOException {
    in.need(14);
    int nlit = in.take(5) + 257;
    int ndist = in.take(5) + 1;
    int ncode = in.take(4) + 4;
    if (nlit > 286 || ndist > 30) {
      throw new ZipException("invalid deflate stream: too many length or distance codes");
    }
    java.util.Arrays.fill(lengths, 0, 19, (byte) 0);
    for (int i = 0; i < ncode; i++) {
      in.need(3);
      lengths[CODE_LENGTH_ORDER[i]] = (byte) in.take(3);
    }
    lengthCode.build(lengths, 19);
    int n = 0;
    while (n < nlit + ndist) {
      in.need(16);
      int sym = decodeSymbol(lengthCode);
      if (sym < 16) {
        lengths[n++] = (byte) sym;
        continue;
      }
      int repeat;
      byte value = 0;
      if (sym == 16) {
        if (n == 0) {
          throw new ZipException("invalid deflate stream: repeat with no previous length");
        }
        value = lengths[n - 1];
        repeat = 3 + in.take(2);
      } else if (sym == 17) {
        repeat = 3 + in.take(3);
      } else {
        repeat = 11 + in.take(7);
      }
      if (n + repeat > nlit + ndist) {
        throw new ZipException("invalid deflate stream: code lengths overflow");
      }
      java.util.Arrays.fill(lengths, n, n + repeat, value);
      n += repeat;
    }
    if (lengths[256] == 0) {
      throw new ZipException("invalid deflate stream: no end-of-block code");
    }
    lit.build(lengths, nlit);
    System.arraycopy(lengths, nlit, lengths, 0, ndist);
    dist.build(lengths, ndist);
  }

  private int decodeSymbol(Huffman h) throws IOException {
    int[] t = h.table;
    int e = t[(int) in.bits & h.rootMask];
    if ((e & Huffman.LINK) != 0) {
      e = t[(e >>> 16) + ((int) (in.bits >>> h.rootBits) & ((1 << (e & 0xff)) - 1))];
    }
    int len = e & 0xff;
    if (len == 0) {
      throw new ZipException("invalid deflate stream: invalid Huffman code");
    }
    in.take(len);
    return e >>> 16;
  }

  /** The hot loop, after zlib's inflate_fast: one refill per literal or length/distance pair. */
  private void inflateCodes() throws IOException {
    BitInput bits = in;
    byte[] o = out;
    int p = outPos;
    Huffman litCode = curLit;
    Huffman distCode = curDist;
    try {
      while (p < outLimit) {
        if (bits.count < 48) {
          bits.refill();
        }
        int sym = decodeSymbol(litCode);
        if (sym < 256) {
          o[p++] = (byte) sym;
          continue;
        }
        if (sym == 256) {
          blockDone();
          return;
        }
        sym -= 257;
        if (sym >= 29) {
          throw new ZipException("invalid deflate stream: invalid length code");
        }
        int length = LENGTH_BASE[sym] + bits.take(LENGTH_EXTRA[sym]);
        int dsym = decodeSymbol(distCode);
        if (dsym >= 30) {
          throw new ZipException("invalid deflate stream: invalid distance code");
        }
        int distance = DIST_BASE[dsym] + bits.take(DIST_EXTRA[dsym]);
        if (distance > p) {
          throw new ZipException("invalid deflate stream: distance too far back");
        }
        int from = p - distance;
        if (distance >= length && length > 16) {
          System.arraycopy(o, from, o, p, length);
          p += length;
        } else {
          for (int end = p + length; p < end; ) {
            o[p++] = o[from++];
          }
        }
      }
    } finally {
      outPos = p;
    }
  }

  /** RFC 1952 §2.3.1: CRC-32 and ISIZE, then either the end of input or another member. */
  private void endMember() throws IOException {
    updateCrc();
    in.alignToByte();
    long crc32 = in.readIntLe();
    long isize = in.readIntLe();
    if (memberWhole) {
      if (crc32 != crc.getValue()) {
        throw new ZipException("gzip member corrupt: CRC-32 mismatch");
      }
      if (isize != ((outBase + outPos - memberStart) & 0xffffffffL)) {
        throw new ZipException("gzip member corrupt: ISIZE mismatch");
      }
    }
    if (in.atEnd()) {
      state = State.DONE;
      return;
    }
    readHeader();
  }

  /** RFC 1952 §2.3: magic, CM 8, flags, then the optional fields the flags announce. */
  private void readHeader() throws IOException {
    int id1;
    int id2;
    try {
      id1 = in.readByte();
      id2 = in.readByte();
    } catch (EOFException e) {
      throw new ZipException("not in gzip format: input ends before a gzip header");
    }
    if (id1 != 0x1f || id2 != 0x8b) {
      throw new ZipException("not in gzip format: expected a gzip member (1f 8b), found "
          + Integer.toHexString(id1) + " " + Integer.toHexString(id2));
    }
    if (in.readByte() != 8) {
      throw new ZipException("unsupported gzip compression method (only deflate, 8)");
    }
    int flags = in.readByte();
    for (int i = 0; i < 6; i++) {
      in.readByte(); // MTIME, XFL, OS
    }
    if ((flags & 4) != 0) {
      int xlen = in.readByte() | in.readByte() << 8;
      for (int i = 0; i < xlen; i++) {
        in.readByte();
      }
    }
    if ((flags & 8) != 0) {
      while (in.readByte() != 0) {
        // file name
      }
    }
    if ((flags & 16) != 0) {
      while (in.readByte() != 0) {
        // comment
      }
    }
    if ((flags & 2) != 0) {
      in.readByte();
      in.readByte();
    }
    memberWhole = true;
    crc.reset();
    crcPos = outPos;
    memberStart = outBase + outPos;
    lastBlock = false;
    state = State.BLOCK_START;
  }
}
