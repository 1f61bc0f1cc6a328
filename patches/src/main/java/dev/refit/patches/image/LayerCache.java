package dev.refit.patches.image;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers path requests for layers, shared across images and keyed by layer digest (as jib
 * deduplicates layers), from each layer's {@link LayerIndex}: loaded from {@link LayerIndexes},
 * or built in the one full pass a layer ever gets on this machine. Requested file contents are
 * copied out through the nearest checkpoint, once per run and path. A layer's blob is located
 * (or pulled) only when its index must be built or content is needed. Thread-safe; one index
 * build or extraction per digest at a time.
 */
public final class LayerCache {
  private static final System.Logger LOG = System.getLogger(LayerCache.class.getName());

  private final Path workDir;
  private final LayerIndexes indexes;
  private final Map<Digest, LayerIndex> loaded = new ConcurrentHashMap<>();
  private final Map<Digest, Path> blobs = new ConcurrentHashMap<>();
  private final Map<Digest, Map<String, Path>> extracted = new ConcurrentHashMap<>();
  /** Answers per layer and request: images sharing a layer ask it the same question. */
  private final Map<Digest, Map<PathRequest, LayerIndex.Selection>> selections = new ConcurrentHashMap<>();
  private final Map<Digest, Object> locks = new ConcurrentHashMap<>();
  private final Map<Digest, AtomicInteger> builds = new ConcurrentHashMap<>();
  private final Map<Digest, AtomicInteger> blobOpens = new ConcurrentHashMap<>();
  private final AtomicInteger inflations = new AtomicInteger();
  private final AtomicLong inflated = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private final Map<Digest, Future<LayerIndex>> building = new ConcurrentHashMap<>();

  /**
   * Where {@link #indexAll} builds indexes side by side: one thread per core, named, daemon
   * (a build is CPU-bound: gunzip, tar headers, sha256). Shared by every cache of the process.
   */
  private static final ExecutorService INDEXERS = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "refit-layer-index-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }
      });

  /** A cache whose indexes live (and persist) under {@code workDir/index}. */
  public LayerCache(Path workDir) {
    this(workDir, LayerIndexes.at(workDir.resolve("index")));
  }

  /** @param workDir where extracted file contents are kept (under {@code <digest hex>/}) */
  public LayerCache(Path workDir, LayerIndexes indexes) {
    this.workDir = workDir;
    this.indexes = indexes;
  }

  /** How many times this cache read the layer in full to build its index (0 when stored). */
  public int indexBuilds(Digest digest) {
    AtomicInteger n = builds.get(digest);
    return n == null ? 0 : n.get();
  }

  /** Full index builds, across digests. */
  public int totalIndexBuilds() {
    return builds.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** How many times the layer's blob file was located or pulled (at most once). */
  public int blobOpens(Digest digest) {
    AtomicInteger n = blobOpens.get(digest);
    return n == null ? 0 : n.get();
  }

  /** Decoders started to read file contents (from a checkpoint or a blob's start). */
  public int checkpointInflations() {
    return inflations.get();
  }

  /** Uncompressed bytes those decoders produced. */
  public long bytesInflated() {
    return inflated.get();
  }

  public LayerIndexes indexes() {
    return indexes;
  }

  /**
   * Makes sure each of {@code layers} has its index, building the missing ones side by side (one
   * per core; a layer several images share is built once), for a request that must read every
   * layer anyway (a listing or a glob). Blocking; returns when all are built.
   */
  void indexAll(List<Descriptor> layers, LayerReader reader, String imageName) {
    List<Future<LayerIndex>> waits = new ArrayList<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Descriptor layer = layers.get(i);
      if (!loaded.containsKey(layer.digest())) {
        String name = layer.digest() + " of " + imageName;
        waits.add(building.computeIfAbsent(layer.digest(), d -> INDEXERS.submit(() -> {
          synchronized (locks.computeIfAbsent(d, k -> new Object())) {
            return index(layer, reader, name);
          }
        })));
      }
    }
    for (Future<LayerIndex> wait : waits) {
      try {
        wait.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageReadException("interrupted while indexing the layers of " + imageName, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ImageReadException read) {
          throw read;
        }
        throw new ImageReadException("could not index a layer of " + imageName + ": "
            + Causes.describe(cause), cause);
      }
    }
  }

  /**
   * The paths {@code layer} changes, read from its index (built first if missing, the only case
   * in which its blob is opened). Blocking.
   */
  public LayerTouches touches(Descriptor layer, LayerReader reader, String imageName) {
    String name = layer.digest() + " of " + imageName;
    synchronized (locks.computeIfAbsent(layer.digest(), d -> new Object())) {
      try {
        LayerIndex index = index(layer, reader, name);
        Set<String> paths = new HashSet<>();
        for (LayerIndex.Entry e : index.entries()) {
          paths.add(e.file().path());
        }
        return new LayerTouches(paths, index.whiteouts(), index.opaqueDirs());
      } catch (IOException e) {
        throw new ImageReadException("could not read layer " + name + ": " + Causes.describe(e), e);
      }
    }
  }

  LayerScan scan(Descriptor layer, PathRequest request, LayerReader reader, String imageName) {
    Digest digest = layer.digest();
    String name = digest + " of " + imageName;
    synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
      try {
        LayerIndex index = index(layer, reader, name);
        LayerIndex.Selection selection = selections.computeIfAbsent(digest, d -> new HashMap<>())
            .computeIfAbsent(request, index::select);
        Map<String, Path> have = extracted.computeIfAbsent(digest, d -> new HashMap<>());
        extractMissing(layer, reader, name, index, selection, request, have);
        Map<String, dev.refit.patches.fs.FileEntry> entries = new HashMap<>();
        Map<String, Path> contents = new HashMap<>();
        selection.entries().forEach((path, e) -> {
          entries.put(path, e.file());
          if (have.containsKey(path) && request.paths().contains(path)) {
            contents.put(path, have.get(path));
          }
        });
        return new LayerScan(request, entries, contents, selection.whiteouts(),
            selection.opaqueDirs());
      } catch (IOException e) {
        throw new ImageReadException("could not read layer " + name + ": " + Causes.describe(e), e);
      }
    }
  }

  private LayerIndex index(Descriptor layer, LayerReader reader, String name) throws IOException {
    Digest digest = layer.digest();
    LayerIndex index = loaded.get(digest);
    if (index != null) {
      return index;
    }
    index = indexes.load(digest).orElse(null);
    if (index == null) {
      builds.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
      index = LayerIndexer.build(blob(layer, reader), digest, name);
      try {
        indexes.save(index);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not keep the layer index of " + name
            + " (" + Causes.describe(e) + "); the next run indexes it again");
      }
    }
    loaded.put(digest, index);
    return index;
  }

  private void extractMissing(Descriptor layer, LayerReader reader, String name, LayerIndex index,
      LayerIndex.Selection selection, PathRequest request, Map<String, Path> have)
      throws IOException {
    List<LayerContents.Target> missing = new ArrayList<>();
    for (String path : request.paths()) {
      LayerIndex.Entry e = selection.entries().get(path);
      if (e != null && e.file().isFile() && !have.containsKey(path)) {
        Path dir = Files.createDirectories(workDir.resolve(layer.digest().hex()));
        missing.add(new LayerContents.Target(e, dir.resolve(String.valueOf(files.incrementAndGet()))));
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    LayerContents.Cost cost = LayerContents.extract(blob(layer, reader), index, missing, name);
    inflations.addAndGet(cost.inflations());
    inflated.addAndGet(cost.bytesInflated());
    for (LayerContents.Target t : missing) {
      have.put(t.entry().file().path(), t.file());
    }
  }

  private Path blob(Descriptor layer, LayerReader reader) throws IOException {
    Path blob = blobs.get(layer.digest());
    if (blob == null) {
      blobOpens.computeIfAbsent(layer.digest(), d -> new AtomicInteger()).incrementAndGet();
      blob = reader.blobFile(layer);
      blobs.put(layer.digest(), blob);
    }
    return blob;
  }
}
