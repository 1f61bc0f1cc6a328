package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexes a real layer blob and reads files back through its checkpoints, timing the index pass
 * against the scan it replaces (JDK gunzip + commons-compress tar + SHA-256). Runs only with
 * {@code -Drefit.blob=<path to a gzip layer blob named by its sha256 hex>}.
 */
class LayerIndexerRealBlobTest {
  @TempDir Path tmp;

  @Test
  void realBlob_indexMatchesTarAndContentsMatchThroughCheckpoints() throws Exception {
    String property = System.getProperty("refit.blob");
    assumeTrue(property != null && Files.isRegularFile(Path.of(property)), "set -Drefit.blob to run");
    Path blob = Path.of(property);
    Digest digest = Digest.parse("sha256:" + blob.getFileName());

    long t0 = System.nanoTime();
    Map<String, byte[]> sample = new TreeMap<>();
    long tarBytes = jdkScan(blob, sample);
    long t1 = System.nanoTime();
    LayerIndex index = LayerIndexer.build(blob, digest, "real");
    long t2 = System.nanoTime();

    assertThat(index.tarSize()).isEqualTo(tarBytes);
    List<LayerContents.Target> targets = index.entries().stream()
        .filter(e -> sample.containsKey(e.file().path()))
        .map(e -> new LayerContents.Target(e, tmp.resolve(String.valueOf(e.dataOffset()))))
        .toList();
    LayerContents.Cost cost = LayerContents.extract(blob, index, targets, "real");
    long t3 = System.nanoTime();
    for (LayerContents.Target t : targets) {
      assertThat(Files.readAllBytes(t.file())).as(t.entry().file().path())
          .isEqualTo(sample.get(t.entry().file().path()));
    }
    byte[] encoded = LayerIndexFile.encode(index);
    assertThat(LayerIndexFile.decode(encoded, digest).entries()).hasSameSizeAs(index.entries());
    System.out.printf("%s: %d MB tar, %d entries, %d checkpoints, index file %d KB; scan (JDK gunzip"
        + " + tar + sha256) %.0f MB/s, index build %.0f MB/s; %d files read back with %d"
        + " inflations, %d MB inflated, in %d ms%n", digest.hex().substring(0, 12), tarBytes >> 20,
        index.entries().size(), index.checkpoints().size(), encoded.length >> 10,
        tarBytes / 1e6 / ((t1 - t0) / 1e9), tarBytes / 1e6 / ((t2 - t1) / 1e9), targets.size(),
        cost.inflations(), cost.bytesInflated() >> 20, (t3 - t2) / 1_000_000);
  }

  /** Today's scan, keeping every 500th regular file's bytes as the expected content. */
  private static long jdkScan(Path blob, Map<String, byte[]> sample) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int n = 0;
    try (DigestInputStream raw = new DigestInputStream(Files.newInputStream(blob), sha);
        CountingGunzip in = new CountingGunzip(new GZIPInputStream(raw, 65536))) {
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.isFile() && n++ % 500 == 0 && e.getSize() < (8 << 20)) {
          String name = e.getName();
          while (name.startsWith("./") || name.startsWith("/")) {
            name = name.substring(name.startsWith("./") ? 2 : 1);
          }
          sample.put(name, tar.readAllBytes());
        }
      }
      in.transferTo(OutputStream.nullOutputStream());
      raw.transferTo(OutputStream.nullOutputStream());
      return in.count;
    }
  }

  private static final class CountingGunzip extends java.io.FilterInputStream {
    long count;

    CountingGunzip(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int k = in.read(b, off, len);
      count += Math.max(k, 0);
      return k;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }
  }
}
