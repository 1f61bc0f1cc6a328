package dev.refit.patches.inflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GzipReaderTest {
  /** A block boundary and the window before it, as an index would keep it. */
  record Boundary(long bitOffset, long outOffset, byte[] window) {}

  static byte[] corpus(String kind, int size) {
    Random random = new Random(kind.hashCode());
    byte[] data = new byte[size];
    switch (kind) {
      case "random" -> random.nextBytes(data);
      case "zeros" -> { }
      case "text" -> {
        String[] words = {"nova", "compute ", "import os\n", "def ", "self.", "return None\n",
            "    ", "# comment ", "{", "}", "0123456789"};
        int p = 0;
        while (p < size) {
          byte[] w = words[random.nextInt(words.length)].getBytes();
          int n = Math.min(w.length, size - p);
          System.arraycopy(w, 0, data, p, n);
          p += n;
        }
      }
      case "mixed" -> {
        for (int p = 0; p < size; p += 4096) {
          int n = Math.min(4096, size - p);
          if (random.nextBoolean()) {
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, data, p, n);
          } else {
            Arrays.fill(data, p, p + n, (byte) random.nextInt(4));
          }
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    return data;
  }

  static byte[] gzip(byte[] data, int level) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes) {
      {
        def.setLevel(level);
      }
    }) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  static List<Boundary> boundaries(byte[] gz, ByteArrayOutputStream sink) throws IOException {
    List<Boundary> found = new ArrayList<>();
    byte[] window = new byte[GzipReader.WINDOW];
    try (GzipReader r = GzipReader.open(new ByteArrayInputStream(gz), (bit, out, reader) -> {
      int n = reader.window(window);
      found.add(new Boundary(bit, out, Arrays.copyOf(window, n)));
    })) {
      r.transferTo(sink);
    }
    return found;
  }

  static byte[] resume(byte[] gz, Boundary b, int length) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(gz, (int) (b.bitOffset() >>> 3),
        gz.length);
    GzipReader r = GzipReader.resume(in, b.bitOffset(), b.outOffset(), b.window());
    assertThat(r.position()).isEqualTo(b.outOffset());
    return r.readNBytes(length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "zeros", "text", "mixed"})
  void read_corpus_matchesJdkAndResumesFromEveryBoundary(String kind) throws IOException {
    byte[] data = corpus(kind, 3 * 1024 * 1024 + 17);
    for (int level : new int[] {1, 6, 9}) {
      byte[] gz = gzip(data, level);
      ByteArrayOutputStream decoded = new ByteArrayOutputStream();
      List<Boundary> found = boundaries(gz, decoded);

      assertThat(decoded.toByteArray()).isEqualTo(readAll(new GZIPInputStream(new ByteArrayInputStream(gz))));
      for (Boundary b : found) {
        int n = (int) Math.min(70_000, data.length - b.outOffset());
        assertThat(resume(gz, b, n)).as("resumed at bit %d", b.bitOffset())
            .isEqualTo(Arrays.copyOfRange(data, (int) b.outOffset(), (int) b.outOffset() + n));
      }
    }
  }

  @Test
  void read_storedBlocks_matchesInputAndResumes() throws IOException {
    byte[] data = corpus("random", 1_000_000);
    byte[] gz = gzip(data, Deflater.NO_COMPRESSION);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    List<Boundary> found = boundaries(gz, decoded);

    assertThat(decoded.toByteArray()).isEqualTo(data);
    assertThat(found).hasSizeGreaterThan(10);
    Boundary last = found.get(found.size() - 1);
    assertThat(resume(gz, last, data.length)).isEqualTo(
        Arrays.copyOfRange(data, (int) last.outOffset(), data.length));
  }

  @Test
  void read_resumeToTheEnd_matchesTheRest() throws IOException {
    byte[] data = corpus("text", 2_000_000);
    byte[] gz = gzip(data, 6);
    List<Boundary> found = boundaries(gz, new ByteArrayOutputStream());
    Boundary mid = found.get(found.size() / 2);

    assertThat(resume(gz, mid, Integer.MAX_VALUE))
        .isEqualTo(Arrays.copyOfRange(data, (int) mid.outOffset(), data.length));
  }

  @Test
  void read_concatenatedMembers_readsThemAll() throws IOException {
    byte[] a = corpus("text", 100_000);
    byte[] b = corpus("mixed", 200_000);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(gzip(a, 6));
    both.write(gzip(b, 1));
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();

    List<Boundary> found = boundaries(both.toByteArray(), decoded);

    assertThat(decoded.toByteArray()).isEqualTo(readAll(new GZIPInputStream(
        new ByteArrayInputStream(both.toByteArray()))));
    Boundary inFirst = found.get(0);
    assertThat(resume(both.toByteArray(), inFirst, Integer.MAX_VALUE)).hasSize(300_000 - (int) inFirst.outOffset());
  }

  @Test
  void read_emptyInput_matchesJdk() throws IOException {
    byte[] gz = gzip(new byte[0], 6);
    assertThat(readAll(GzipReader.open(new ByteArrayInputStream(gz), (b, o, r) -> { }))).isEmpty();
  }

  @Test
  void read_flippedCrc_failsWithCrcMismatch() throws IOException {
    byte[] gz = gzip(corpus("text", 10_000), 6);
    gz[gz.length - 6] ^= 1;

    assertThatThrownBy(() -> readAll(GzipReader.open(new ByteArrayInputStream(gz), (b, o, r) -> { })))
        .isInstanceOf(ZipException.class).hasMessageContaining("CRC-32");
  }

  @Test
  void read_truncated_failsWithEof() throws IOException {
    byte[] gz = gzip(corpus("random", 100_000), 6);
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);

    assertThatThrownBy(() -> readAll(GzipReader.open(new ByteArrayInputStream(cut), (b, o, r) -> { })))
        .isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void read_trailingGarbage_refusedClearly() throws IOException {
    byte[] gz = gzip(corpus("text", 1000), 6);
    byte[] more = Arrays.copyOf(gz, gz.length + 4);
    more[gz.length] = 'x';

    assertThatThrownBy(() -> readAll(GzipReader.open(new ByteArrayInputStream(more), (b, o, r) -> { })))
        .isInstanceOf(ZipException.class).hasMessageContaining("expected a gzip member");
  }

  @Test
  void read_corruptBlockType_refused() throws IOException {
    byte[] gz = gzip(corpus("text", 1000), 6);
    gz[10] |= 6; // BTYPE 11 in the first block header

    assertThatThrownBy(() -> readAll(GzipReader.open(new ByteArrayInputStream(gz), (b, o, r) -> { })))
        .isInstanceOf(ZipException.class);
  }
}
