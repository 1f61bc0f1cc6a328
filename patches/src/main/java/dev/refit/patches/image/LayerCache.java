package dev.refit.patches.image;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Layer scans shared across images, keyed by layer digest (as jib deduplicates layers), so a base
 * layer used by many images is read once for all of them. A later request the cached scan does not
 * cover rescans that layer once for the union of both. Thread-safe; one scan per digest at a time.
 */
public final class LayerCache {
  private final Path workDir;
  private final Map<Digest, LayerScan> scans = new ConcurrentHashMap<>();
  private final Map<Digest, Object> locks = new ConcurrentHashMap<>();
  private final Map<Digest, AtomicInteger> reads = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** @param workDir where extracted file contents are kept (under {@code <digest hex>/}) */
  public LayerCache(Path workDir) {
    this.workDir = workDir;
  }

  /** How many times the layer's blob has been read. */
  public int reads(Digest digest) {
    AtomicInteger n = reads.get(digest);
    return n == null ? 0 : n.get();
  }

  /** Total layer blob reads, across digests. */
  public int totalReads() {
    return reads.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  LayerScan scan(Descriptor layer, PathRequest request, LayerReader reader, String imageName) {
    Digest digest = layer.digest();
    synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
      LayerScan cached = scans.get(digest);
      if (cached != null && cached.request().covers(request)) {
        return cached;
      }
      PathRequest wanted = cached == null ? request : cached.request().union(request);
      Path contentDir = workDir.resolve(digest.hex()).resolve("g" + generation.incrementAndGet());
      String name = digest + " of " + imageName;
      reads.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
      try (InputStream in = reader.open(layer)) {
        LayerScan scan = LayerScanner.scan(in, name, wanted, contentDir);
        scans.put(digest, scan);
        return scan;
      } catch (IOException e) {
        throw new ImageReadException("could not read layer " + name + ": " + Causes.describe(e), e);
      }
    }
  }
}
