package dev.refit.pipeline.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes small, reproducible OCI images for {@code refit demo} into an OCI layout's blobs
 * folder: gzip layers of the given files, a config and a manifest. The same inputs give the same
 * digests on every machine, and a layer shared by several images is written once. Blocking.
 */
public final class SampleImage {
  /** Fixed timestamp (2000-01-01T00:00:00Z) for tar entries, so layers are reproducible. */
  private static final long EPOCH_MILLIS = 946684800_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One tar entry: a file (content not null) or a directory (content null), with its mode bits
   * and numeric owner.
   */
  public record Entry(String path, String content, int mode, int uid, int gid) {
    /** A file owned by root, mode 0644, as kolla installs python code. */
    public static Entry file(String path, String content) {
      return new Entry(path, content, 0644, 0, 0);
    }

    /** An executable owned by root, mode 0755. */
    public static Entry executable(String path, String content) {
      return new Entry(path, content, 0755, 0, 0);
    }

    public static Entry dir(String path, int mode, int uid, int gid) {
      return new Entry(path, null, mode, uid, gid);
    }

    public Entry withOwner(int newUid, int newGid, int newMode) {
      return new Entry(path, content, newMode, newUid, newGid);
    }

    boolean isDirectory() {
      return content == null;
    }
  }

  /**
   * One layer's content by path (relative, '/'-separated). Parent directories not listed are
   * implied, root-owned 0755.
   */
  public record Layer(SortedMap<String, Entry> entries) {
    /** Text files (path → content), root-owned 0644. */
    public static Layer of(Map<String, String> files) {
      TreeMap<String, Entry> entries = new TreeMap<>();
      files.forEach((path, content) -> entries.put(path, Entry.file(path, content)));
      return new Layer(entries);
    }

    public static Layer ofEntries(List<Entry> list) {
      TreeMap<String, Entry> entries = new TreeMap<>();
      list.forEach(e -> entries.put(e.path(), e));
      return new Layer(entries);
    }
  }

  /** What the image config says beyond its layers. */
  public record Settings(String created, String user, Map<String, String> labels, List<String> cmd) {}

  /** A written layer: its descriptor and the digest of its uncompressed tar (diff ID). */
  public record WrittenLayer(Descriptor descriptor, Digest diffId) {}

  /** The written image. */
  public record Written(RawManifest manifest, Descriptor config, List<WrittenLayer> layers) {}

  private SampleImage() {}

  /** Writes one gzip layer under {@code blobsDir/sha256/}. */
  public static WrittenLayer writeLayer(Path blobsDir, Layer layer) throws IOException {
    try (AtomicFile file = AtomicFile.in(blobsDir.resolve("sha256"))) {
      HashingOutputStream compressed = HashingOutputStream.sha256(file.output());
      HashingOutputStream uncompressed;
      try (compressed;
          GzipCompressorOutputStream gz = new GzipCompressorOutputStream(compressed, fixedGzip());
          TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressed = HashingOutputStream.sha256(gz))) {
        writeEntries(tar, layer);
      }
      Digest digest = compressed.digest();
      file.commit(blobsDir.resolve("sha256").resolve(digest.hex()));
      return new WrittenLayer(Descriptor.of(MediaType.OCI_LAYER_GZIP, digest, compressed.count()),
          uncompressed.digest());
    }
  }

  private static void writeEntries(TarArchiveOutputStream tar, Layer layer) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    // Sorted paths put every directory before what it holds ('/' sorts after '-' and '.').
    TreeMap<String, Entry> all = new TreeMap<>();
    parents(layer.entries().keySet()).forEach(d -> all.put(d, Entry.dir(d, 0755, 0, 0)));
    all.putAll(layer.entries());
    for (Entry entry : all.values()) {
      byte[] content = entry.isDirectory() ? new byte[0] : entry.content().getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(entry.isDirectory() ? entry.path() + "/" : entry.path());
      e.setMode((entry.isDirectory() ? 040000 : 0100000) | entry.mode());
      e.setIds(entry.uid(), entry.gid());
      e.setSize(content.length);
      e.setModTime(EPOCH_MILLIS);
      // The entry starts with "now" as its creation time, which would add a pax header
      // (LIBARCHIVE.creationtime) and make the layer differ on every run.
      e.setCreationTime(null);
      e.setLastAccessTime(null);
      e.setStatusChangeTime(null);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    tar.finish();
  }

  /** Writes a config (running as root) and manifest over already-written layers. */
  public static Written writeImage(Path blobsDir, List<WrittenLayer> layers, String created,
      Map<String, String> labels, List<String> cmd) throws IOException {
    return writeImage(blobsDir, layers, new Settings(created, "root", labels, cmd));
  }

  /** Writes a config and manifest over already-written layers. */
  public static Written writeImage(Path blobsDir, List<WrittenLayer> layers, Settings settings)
      throws IOException {
    Path dir = Files.createDirectories(blobsDir.resolve("sha256"));
    byte[] configBytes = configJson(layers, settings);
    Digest configDigest = Digest.sha256(configBytes);
    Files.write(dir.resolve(configDigest.hex()), configBytes);
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, configDigest, configBytes.length);
    List<Descriptor> layerDescriptors = new ArrayList<>();
    layers.forEach(l -> layerDescriptors.add(l.descriptor()));
    RawManifest manifest = Manifest.of(config, layerDescriptors).toRaw();
    Files.write(dir.resolve(manifest.digest().hex()), manifest.bytes());
    return new Written(manifest, config, layers);
  }

  private static TreeSet<String> parents(Iterable<String> files) {
    TreeSet<String> dirs = new TreeSet<>();
    for (String f : files) {
      for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
        dirs.add(f.substring(0, i));
      }
    }
    return dirs;
  }

  private static GzipParameters fixedGzip() {
    GzipParameters p = new GzipParameters();
    p.setModificationTime(0);
    p.setOperatingSystem(255);
    return p;
  }

  private static byte[] configJson(List<WrittenLayer> layers, Settings settings) throws IOException {
    String created = settings.created();
    ObjectNode root = JSON.createObjectNode();
    root.put("created", created);
    root.put("architecture", "amd64");
    root.put("os", "linux");
    ObjectNode config = root.putObject("config");
    config.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    ArrayNode cmdNode = config.putArray("Cmd");
    settings.cmd().forEach(cmdNode::add);
    config.put("User", settings.user());
    ObjectNode labelNode = config.putObject("Labels");
    new TreeMap<>(settings.labels()).forEach(labelNode::put);
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ArrayNode history = root.putArray("history");
    for (WrittenLayer l : layers) {
      diffIds.add(l.diffId().toString());
      history.addObject().put("created", created).put("created_by", "refit demo layer");
    }
    return JSON.writeValueAsBytes(root);
  }
}
