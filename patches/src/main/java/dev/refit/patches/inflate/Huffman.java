package dev.refit.patches.inflate;

import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * A canonical Huffman code (RFC 1951 §3.2.2) as a two-level lookup table, after zlib's
 * inflate_table: the first {@code rootBits} bits of the stream index the root table; a longer code
 * follows a link to a sub-table indexed by its remaining bits. Reused block after block. Not
 * thread-safe.
 *
 * <p>An entry is {@code symbol << 16 | length} (length 1-15), a link
 * {@code subtableStart << 16 | LINK | subBits}, or 0 for a bit pattern no code uses.
 */
final class Huffman {
  static final int LINK = 0x100;

  final int rootBits;
  final int rootMask;
  int[] table;
  private final int[] codes = new int[288];
  private final int[] subBits;
  private final int[] subStart;
  private final int[] lengthCounts = new int[16];

  Huffman(int rootBits) {
    this.rootBits = rootBits;
    this.rootMask = (1 << rootBits) - 1;
    this.subBits = new int[1 << rootBits];
    this.subStart = new int[1 << rootBits];
    this.table = new int[1 << (rootBits + 1)];
  }

  /**
   * Builds the code for {@code lengths[0..n)} (0 = symbol unused). An incomplete code is accepted
   * (RFC 1951 allows one distance code); its unused patterns fail when decoded.
   */
  void build(byte[] lengths, int n) throws ZipException {
    Arrays.fill(lengthCounts, 0);
    for (int i = 0; i < n; i++) {
      lengthCounts[lengths[i]]++;
    }
    lengthCounts[0] = 0;
    int left = 1;
    for (int len = 1; len <= 15; len++) {
      left = (left << 1) - lengthCounts[len];
      if (left < 0) {
        throw new ZipException("invalid deflate stream: over-subscribed Huffman code");
      }
    }
    int[] next = new int[16];
    int code = 0;
    for (int len = 1; len <= 15; len++) {
      code = (code + lengthCounts[len - 1]) << 1;
      next[len] = code;
    }
    Arrays.fill(subBits, 0);
    for (int s = 0; s < n; s++) {
      int len = lengths[s];
      if (len == 0) {
        continue;
      }
      int rev = Integer.reverse(next[len]++) >>> (32 - len);
      codes[s] = rev;
      if (len > rootBits) {
        int prefix = rev & rootMask;
        subBits[prefix] = Math.max(subBits[prefix], len - rootBits);
      }
    }
    int size = 1 << rootBits;
    for (int p = 0; p <= rootMask; p++) {
      if (subBits[p] > 0) {
        subStart[p] = size;
        size += 1 << subBits[p];
      }
    }
    if (table.length < size) {
      table = new int[size];
    } else {
      Arrays.fill(table, 0, size, 0);
    }
    for (int p = 0; p <= rootMask; p++) {
      if (subBits[p] > 0) {
        table[p] = subStart[p] << 16 | LINK | subBits[p];
      }
    }
    for (int s = 0; s < n; s++) {
      int len = lengths[s];
      if (len == 0) {
        continue;
      }
      int rev = codes[s];
      int entry = s << 16 | len;
      if (len <= rootBits) {
        for (int i = rev; i <= rootMask; i += 1 << len) {
          table[i] = entry;
        }
      } else {
        int prefix = rev & rootMask;
        int start = subStart[prefix];
        int width = 1 << subBits[prefix];
        for (int i = rev >>> rootBits; i < width; i += 1 << (len - rootBits)) {
          table[start + i] = entry;
        }
      }
    }
  }
}
