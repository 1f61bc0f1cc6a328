package dev.refit.patches.inflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks the decoder against the JDK on real layer blobs, and reports throughput. Runs only when
 * {@code -Drefit.blobs=<dir of gzip blobs>} names a directory (e.g. an OCI layout's
 * {@code blobs/sha256}); {@code -Drefit.blobs.max=n} limits how many of the largest are read.
 */
class GzipReaderRealBlobTest {
  private static final long SPAN = 4L * 1024 * 1024;

  @Test
  void realBlobs_matchJdkAndResumeFromCheckpoints() throws Exception {
    String dir = System.getProperty("refit.blobs");
    assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "set -Drefit.blobs to run");
    int max = Integer.getInteger("refit.blobs.max", 3);
    List<Path> blobs;
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      blobs = s.filter(GzipReaderRealBlobTest::isGzip)
          .sorted((a, b) -> Long.compare(size(b), size(a))).limit(max).toList();
    }
    for (Path blob : blobs) {
      check(blob);
    }
  }

  private static void check(Path blob) throws Exception {
    long t0 = System.nanoTime();
    long jdkTar = tarPass(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(blob), 65536), 65536));
    long t1 = System.nanoTime();
    List<GzipReaderTest.Boundary> checkpoints = new ArrayList<>();
    byte[] window = new byte[GzipReader.WINDOW];
    long[] last = {0};
    long ours = tarPass(GzipReader.open(Files.newInputStream(blob), (bit, out, r) -> {
      if (out - last[0] >= SPAN) {
        last[0] = out;
        checkpoints.add(new GzipReaderTest.Boundary(bit, out, Arrays.copyOf(window, r.window(window))));
      }
    }));
    long t2 = System.nanoTime();
    byte[] jdkSha = sha(new GZIPInputStream(Files.newInputStream(blob), 65536));
    long t3 = System.nanoTime();
    byte[] ourSha = sha(GzipReader.open(Files.newInputStream(blob), (b, o, r) -> { }));
    long t4 = System.nanoTime();
    assertThat(ours).isEqualTo(jdkTar);
    assertThat(ourSha).isEqualTo(jdkSha);
    long plain = countAll(new GZIPInputStream(Files.newInputStream(blob), 65536));
    System.out.printf("%s: %d MB compressed, %d MB tar; tar pass: JDK+commons %.0f MB/s, GzipReader"
        + "+commons %.0f MB/s (with checkpoints, %d of them); plain inflate: JDK %.0f MB/s, "
        + "GzipReader %.0f MB/s%n", blob.getFileName().toString().substring(0, 12),
        Files.size(blob) >> 20, plain >> 20, mbps(plain, t1 - t0), mbps(plain, t2 - t1),
        checkpoints.size(), mbps(plain, t3 - t2), mbps(plain, t4 - t3));
    try (FileChannel ch = FileChannel.open(blob);
        InputStream jdk = new GZIPInputStream(Files.newInputStream(blob), 65536)) {
      long at = 0;
      for (GzipReaderTest.Boundary cp : checkpoints) {
        InputStream in = Channels.newInputStream(ch.position(cp.bitOffset() >>> 3));
        byte[] got = GzipReader.resume(in, cp.bitOffset(), cp.outOffset(), cp.window())
            .readNBytes(100_000);
        jdk.skipNBytes(cp.outOffset() - at);
        byte[] want = jdk.readNBytes(100_000);
        at = cp.outOffset() + want.length;
        assertThat(got).as("resumed at %d", cp.outOffset()).isEqualTo(want);
      }
    }
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  /** A tar pass as the index build does it: headers read, contents skipped. */
  private static long tarPass(InputStream decompressed) throws IOException {
    long entries = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
      while (tar.getNextEntry() != null) {
        entries++;
      }
      decompressed.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return entries;
  }

  private static byte[] sha(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[65536];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static long countAll(InputStream in) throws IOException {
    try (in) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static boolean isGzip(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] m = in.readNBytes(2);
      return m.length == 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b;
    } catch (IOException e) {
      return false;
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
