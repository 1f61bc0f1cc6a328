package dev.refit.pipeline.rebuild;

import dev.refit.error.Causes;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Puts the setuid, setgid and sticky bits that jib-core drops back into the delta layer jib
 * pushed, and pushes the corrected layer and image config. Blocking; stateless, thread-safe.
 *
 * <p>Why a rewrite and not a layer of refit's own: jib-core's public API takes only file entries
 * with {@code FilePermissions}, which hold the nine rwx bits, and no prebuilt layer blob; jib
 * still computes the config (inherited base config, labels, history) and pushes everything. So
 * refit lets jib build, then re-tars jib's layer, changing only the mode of the named entries:
 * entry order, names, sizes, mtimes, uid/gid and content stay jib's, the tar settings and the gzip
 * header are fixed ({@link GZIPOutputStream}: mtime 0, no name, as jib writes), so the result is
 * as reproducible as jib's own layer. Both digests (blob and diff_id, OCI image-spec config.md
 * "rootfs") are computed while streaming; the layer goes through temp files, never memory.
 */
final class FullModeLayer {

  private FullModeLayer() {}

  /**
   * {@code built} (jib's manifest in {@code repo}, delta layer last) with its delta layer and
   * config replaced by ones whose entries named in {@code modes} (relative path → the 12 mode bits)
   * carry their full mode. The new blobs are pushed to {@code repo}; the manifest is not.
   *
   * @param tempDir where the layer is downloaded and re-tarred (created if absent, emptied after)
   */
  static Manifest apply(RegistryClient client, String repo, Manifest built, Map<String, Integer> modes,
      Path tempDir, Duration timeout) {
    if (built.layers().isEmpty()) {
      throw new RebuildException("jib's manifest in " + repo + " has no layers, but the patch result"
          + " has files with special mode bits " + modes.keySet());
    }
    Descriptor layer = built.layers().get(built.layers().size() - 1);
    Path in = null;
    Path out = null;
    Path config = null;
    try {
      Files.createDirectories(tempDir);
      in = Files.createTempFile(tempDir, "jib-delta", ".tar.gz");
      out = Files.createTempFile(tempDir, "delta", ".tar.gz");
      config = Files.createTempFile(tempDir, "config", ".json");
      Path pulled = in;
      String what = "rewriting the delta layer " + layer.digest() + " of " + repo;
      // pullBlob verifies the digest before the file is complete.
      Await.result(client.pullBlob(repo, layer.digest(), pulled), timeout, what);
      Digests digests = retar(in, out, modes, what);
      Descriptor newLayer = new Descriptor(layer.mediaType(), digests.blob(), Files.size(out),
          layer.platform(), layer.artifactType(), layer.annotations());
      Path written = out;
      Await.result(client.pushBlob(repo, newLayer, written, null), timeout, what);

      Descriptor oldConfig = built.config();
      byte[] configBytes = Await.result(client.readBlob(repo, oldConfig.digest(), PublishedImage.MAX_CONFIG_BYTES), timeout,
          what + " (config)").getBytes();
      byte[] newConfigBytes = withLastDiffId(configBytes, digests.diffId(), what);
      Files.write(config, newConfigBytes);
      Descriptor newConfig = new Descriptor(oldConfig.mediaType(), Digest.sha256(newConfigBytes),
          newConfigBytes.length, oldConfig.platform(), oldConfig.artifactType(), oldConfig.annotations());
      Path configFile = config;
      Await.result(client.pushBlob(repo, newConfig, configFile, null), timeout, what + " (config)");

      List<Descriptor> layers = new ArrayList<>(built.layers());
      layers.set(layers.size() - 1, newLayer);
      return built.withLayers(layers).withConfig(newConfig);
    } catch (IOException e) {
      throw new RebuildException("rewriting the delta layer of " + repo + " failed in the work dir: "
          + Causes.describe(e) + "; check free space and permissions there", e);
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
      deleteQuietly(config);
    }
  }

  /** The blob digest (gzip bytes) and diff_id (tar bytes) of a rewritten layer. */
  record Digests(Digest blob, Digest diffId) {}

  /**
   * Copies the gzip tar {@code from} to {@code to}, entry by entry in the same order, setting the
   * full mode of each entry named in {@code modes}; every one must be found.
   */
  static Digests retar(Path from, Path to, Map<String, Integer> modes, String what) throws IOException {
    Set<String> missing = new TreeSet<>(modes.keySet());
    HashingOutputStream compressed; // the gzip bytes: the blob digest
    HashingOutputStream plain; // the tar bytes: the diff_id
    try (InputStream gzIn = new GZIPInputStream(Files.newInputStream(from), 1 << 16);
        TarArchiveInputStream tarIn = new TarArchiveInputStream(gzIn, StandardCharsets.UTF_8.name());
        HashingOutputStream fileOut = compressed = HashingOutputStream.sha256(Files.newOutputStream(to));
        GZIPOutputStream gzOut = new GZIPOutputStream(fileOut, 1 << 16);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(
            plain = HashingOutputStream.sha256(gzOut), StandardCharsets.UTF_8.name())) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry;
      while ((entry = tarIn.getNextEntry()) != null) {
        Integer mode = modes.get(relative(entry.getName()));
        if (mode != null) {
          // Keep the file-type bits jib wrote; replace all 12 permission bits (POSIX ustar "mode").
          entry.setMode((entry.getMode() & ~07777) | (mode & 07777));
          missing.remove(relative(entry.getName()));
        }
        tarOut.putArchiveEntry(entry);
        if (entry.isFile()) {
          tarIn.transferTo(tarOut);
        }
        tarOut.closeArchiveEntry();
      }
      tarOut.finish();
    }
    if (!missing.isEmpty()) {
      throw new RebuildException(what + ": jib's delta layer has no entry for " + missing
          + "; this is a refit bug, please report it with the patch result");
    }
    return new Digests(compressed.digest(), plain.digest());
  }

  /**
   * {@code config} with its last {@code rootfs.diff_ids} entry replaced by {@code diffId}. A text
   * replacement of that one quoted digest keeps every other byte jib wrote, so the config digest
   * stays as reproducible as jib's; the result is parsed back to prove the edit hit diff_ids.
   */
  static byte[] withLastDiffId(byte[] config, Digest diffId, String what) {
    List<Digest> ids = ImageConfig.parse(config).diffIds();
    if (ids.isEmpty()) {
      throw new RebuildException(what + ": jib's image config has no rootfs.diff_ids");
    }
    String old = "\"" + ids.get(ids.size() - 1) + "\"";
    String text = new String(config, StandardCharsets.UTF_8);
    int at = text.indexOf(old);
    if (at < 0 || text.indexOf(old, at + 1) >= 0) {
      throw new RebuildException(what + ": jib's image config does not name the delta layer's diff_id "
          + old + " exactly once");
    }
    byte[] edited = (text.substring(0, at) + "\"" + diffId + "\"" + text.substring(at + old.length()))
        .getBytes(StandardCharsets.UTF_8);
    List<Digest> now = ImageConfig.parse(edited).diffIds();
    if (!now.get(now.size() - 1).equals(diffId) || now.size() != ids.size()) {
      throw new RebuildException(what + ": editing the image config's diff_ids failed");
    }
    return edited;
  }

  private static String relative(String tarName) {
    String p = tarName;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.substring(p.startsWith("./") ? 2 : 1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Deliberately ignored: a leftover temp file under the work dir is harmless, and throwing
      // here would hide the rebuild's own outcome.
    }
  }
}
