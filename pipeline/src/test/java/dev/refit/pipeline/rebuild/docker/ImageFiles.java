package dev.refit.pipeline.rebuild.docker;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.it.Await;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Test kit: an image pulled back from a registry with {@link RegistryClient}: its manifest, config
 * and layers, and the merged filesystem the layers make (OCI image-spec layer.md, "Applying
 * Changesets": whiteouts {@code .wh.<name>} delete, {@code .wh..wh..opq} empties a directory).
 * Blocking; not thread-safe.
 */
final class ImageFiles {

  /** One filesystem entry: type ('f' file, 'd' dir, 'l' symlink, 'h' hardlink, 'o' other), metadata, content digest. */
  record Entry(char type, int mode, long uid, long gid, String sha256, String link) {}

  final Manifest manifest;
  final ImageConfig config;
  final List<Path> layers;

  private ImageFiles(Manifest manifest, ImageConfig config, List<Path> layers) {
    this.manifest = manifest;
    this.config = config;
    this.layers = layers;
  }

  /** Pulls {@code repo:reference} (manifest, config and every layer) into {@code dir}. */
  static ImageFiles pull(RegistryClient client, String repo, String reference, Path dir) throws IOException {
    Files.createDirectories(dir);
    RawManifest raw = Await.result(client.getManifest(repo, reference), "GET manifest " + repo + ":" + reference);
    Manifest manifest = Manifest.parse(raw.bytes());
    byte[] config = Await.result(client.readBlob(repo, manifest.config().digest(), 4 << 20), "GET config")
        .getBytes();
    List<Path> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      Path file = dir.resolve(layer.digest().hex());
      if (!Files.exists(file)) {
        Await.result(client.pullBlob(repo, layer.digest(), file), "GET layer " + layer.digest());
      }
      layers.add(file);
    }
    return new ImageFiles(manifest, ImageConfig.parse(config), layers);
  }

  /** The merged filesystem of all layers: path (no leading '/') to entry. */
  Map<String, Entry> filesystem() throws IOException {
    return merge(layers);
  }

  /** The merged filesystem of the layers from index {@code from} on (the layers a build added). */
  Map<String, Entry> filesystemFrom(int from) throws IOException {
    return merge(layers.subList(from, layers.size()));
  }

  /**
   * What {@code patched} changes against {@code base}: every path whose entry was added or
   * differs (type, mode, owner, content, link), and every path removed, as "- path".
   */
  static Map<String, Entry> diff(Map<String, Entry> base, Map<String, Entry> patched) {
    Map<String, Entry> out = new TreeMap<>();
    TreeSet<String> all = new TreeSet<>(base.keySet());
    all.addAll(patched.keySet());
    for (String p : all) {
      Entry before = base.get(p);
      Entry after = patched.get(p);
      if (after == null) {
        out.put("- " + p, before);
      } else if (!Objects.equals(before, after)) {
        out.put(p, after);
      }
    }
    return out;
  }

  private static Map<String, Entry> merge(List<Path> layerFiles) throws IOException {
    TreeMap<String, Entry> fs = new TreeMap<>();
    for (Path layer : layerFiles) {
      apply(fs, layer);
    }
    return fs;
  }

  private static void apply(TreeMap<String, Entry> fs, Path layer) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gzip ? new GzipCompressorInputStream(raw) : raw;
      TreeMap<String, Entry> added = new TreeMap<>();
      List<String> opaque = new ArrayList<>();
      try (TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
          if (name.isEmpty()) {
            continue;
          }
          int slash = name.lastIndexOf('/');
          String dir = slash < 0 ? "" : name.substring(0, slash + 1);
          String base = name.substring(slash + 1);
          if (base.equals(".wh..wh..opq")) {
            opaque.add(dir);
            continue;
          }
          if (base.startsWith(".wh.")) {
            String gone = dir + base.substring(4);
            removeTree(fs, gone);
            continue;
          }
          added.put(name, entry(e, tar));
        }
      }
      // An opaque directory hides what lower layers had below it, not what this layer adds.
      for (String dir : opaque) {
        fs.keySet().removeIf(p -> p.startsWith(dir));
      }
      for (Map.Entry<String, Entry> e : added.entrySet()) {
        if (e.getValue().type() != 'd') {
          removeTree(fs, e.getKey());
        }
        fs.put(e.getKey(), e.getValue());
      }
    }
  }

  private static void removeTree(TreeMap<String, Entry> fs, String path) {
    fs.remove(path);
    fs.subMap(path + "/", path + "0").clear(); // '0' follows '/' in ASCII
  }

  private static Entry entry(TarArchiveEntry e, TarArchiveInputStream tar) throws IOException {
    char type;
    String sha = null;
    String link = null;
    if (e.isDirectory()) {
      type = 'd';
    } else if (e.isSymbolicLink()) {
      type = 'l';
      link = e.getLinkName();
    } else if (e.isLink()) {
      type = 'h';
      link = e.getLinkName();
    } else if (e.isFile()) {
      type = 'f';
      MessageDigest md = Digest.Algorithm.SHA256.newHasher();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = tar.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
      sha = Digest.of(Digest.Algorithm.SHA256, md.digest()).toString();
    } else {
      type = 'o';
    }
    return new Entry(type, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), sha, link);
  }
}
