package dev.refit.patches.inflate;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bits of a compressed stream, least significant first, as RFC 1951 §3.1.1 packs them, with the
 * position of the next unread bit. Not thread-safe.
 *
 * <p>The register may hold more bits than {@link #count} says: a refill loads eight bytes at once
 * and keeps only the whole bytes it counts. Those extra bits are the stream's next bits (the same
 * bytes are OR-ed in again, at the same place, by the next refill), so peeking past {@code count}
 * is harmless; {@link #take} alone decides what is consumed.
 */
final class BitInput {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;
  /** Source bytes before {@code buf[0]}. */
  private long base;
  long bits;
  int count;

  /** @param start the source offset of {@code in}'s first byte */
  BitInput(InputStream in, long start) {
    this.in = in;
    this.base = start;
  }

  /** Offset, in bits from the start of the source, of the next unread bit. */
  long bitOffset() {
    return (base + pos) * 8 - count;
  }

  /** Loads whole bytes until the register holds at least 56 bits, or the input ends. */
  void refill() throws IOException {
    if (lim - pos >= 8) {
      bits |= (long) LONG_LE.get(buf, pos) << count;
      int n = (63 - count) >>> 3;
      pos += n;
      count += n << 3;
      return;
    }
    while (count <= 56) {
      if (pos == lim && !fillBuffer()) {
        return;
      }
      bits |= (long) (buf[pos++] & 0xff) << count;
      count += 8;
    }
  }

  /** Makes sure {@code n} (at most 56) bits are loaded; fails on a truncated stream. */
  void need(int n) throws IOException {
    if (count < n) {
      refill();
      if (count < n) {
        throw truncated();
      }
    }
  }

  /** Consumes {@code n} bits and returns them; {@link #need} or a refill must have loaded them. */
  int take(int n) throws EOFException {
    if (count < n) {
      throw truncated();
    }
    int v = (int) (bits & ((1L << n) - 1));
    bits >>>= n;
    count -= n;
    return v;
  }

  /** Drops bits up to the next byte boundary (stored blocks, RFC 1951 §3.2.4; the trailer). */
  void alignToByte() {
    int drop = count & 7;
    bits >>>= drop;
    count -= drop;
  }

  /** One byte at a byte boundary. */
  int readByte() throws IOException {
    need(8);
    return take(8);
  }

  /** A little-endian 32-bit value at a byte boundary (RFC 1952 §2.1). */
  long readIntLe() throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) readByte() << (8 * i);
    }
    return v;
  }

  /** Copies up to {@code len} (> 0) bytes at a byte boundary; returns how many, never 0. */
  int readBytes(byte[] dst, int off, int len) throws IOException {
    int n = 0;
    while (count >= 8 && n < len) {
      dst[off + n++] = (byte) take(8);
    }
    if (n == len) {
      return n;
    }
    bits = 0; // the register is empty; extra loaded bits are re-read from the buffer below
    count = 0;
    if (pos == lim && !fillBuffer()) {
      if (n > 0) {
        return n;
      }
      throw truncated();
    }
    int k = Math.min(len - n, lim - pos);
    System.arraycopy(buf, pos, dst, off + n, k);
    pos += k;
    return n + k;
  }

  /** Whether no byte is left: nothing loaded, nothing buffered, and the source at its end. */
  boolean atEnd() throws IOException {
    return count == 0 && pos == lim && !fillBuffer();
  }

  /** Drops {@code n} (< 8) bits, to start at a bit offset inside the first byte. */
  void skipBits(int n) throws IOException {
    need(n);
    take(n);
  }

  /** Called only once every buffered byte is loaded: reads the next chunk of the source. */
  private boolean fillBuffer() throws IOException {
    base += lim;
    pos = 0;
    lim = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    lim = n;
    return true;
  }

  private static EOFException truncated() {
    return new EOFException("the compressed stream ends in the middle of a deflate block");
  }
}
