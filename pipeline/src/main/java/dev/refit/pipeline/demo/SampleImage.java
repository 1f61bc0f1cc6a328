package dev.refit.pipeline.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a small, reproducible OCI image (one gzip layer, a config and a manifest) for
 * {@code refit demo}: the same inputs give the same digests on every machine. Blocking.
 */
public final class SampleImage {
  /** Fixed timestamp (2000-01-01T00:00:00Z) so the layer is reproducible. */
  private static final long EPOCH_SECONDS = 946684800L;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The written image: blobs as files by digest, plus the manifest. */
  public record Written(RawManifest manifest, Descriptor config, Descriptor layer, Path blobsDir) {
    public Path blob(Digest d) {
      return blobsDir.resolve(d.algorithm().id()).resolve(d.hex());
    }
  }

  private SampleImage() {}

  /** Writes the image's blobs under {@code blobsDir/<alg>/<hex>} (an OCI layout's blobs folder). */
  public static Written write(Path blobsDir, String message) throws IOException {
    Path dir = blobsDir.resolve("sha256");
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".layer-", ".tmp");
    MessageDigest compressed = Digest.Algorithm.SHA256.newHasher();
    MessageDigest uncompressed = Digest.Algorithm.SHA256.newHasher();
    try (OutputStream file = Files.newOutputStream(tmp);
        DigestOutputStream gzHashed = new DigestOutputStream(file, compressed);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(gzHashed, fixedGzip());
        DigestOutputStream tarHashed = new DigestOutputStream(gz, uncompressed);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(tarHashed)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      addDir(tar, "etc/");
      addDir(tar, "etc/refit-demo/");
      addFile(tar, "etc/refit-demo/hello.txt", (message + "\n").getBytes(StandardCharsets.UTF_8));
      tar.finish();
    }
    Digest layerDigest = Digest.of(Digest.Algorithm.SHA256, compressed.digest());
    Digest diffId = Digest.of(Digest.Algorithm.SHA256, uncompressed.digest());
    long layerSize = Files.size(tmp);
    Files.move(tmp, dir.resolve(layerDigest.hex()), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, layerDigest, layerSize);

    byte[] configBytes = configJson(diffId, message);
    Digest configDigest = Digest.sha256(configBytes);
    Files.write(dir.resolve(configDigest.hex()), configBytes);
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, configDigest, configBytes.length);

    RawManifest manifest = Manifest.of(config, List.of(layer)).toRaw();
    Files.write(dir.resolve(manifest.digest().hex()), manifest.bytes());
    return new Written(manifest, config, layer, blobsDir);
  }

  private static GzipParameters fixedGzip() {
    GzipParameters p = new GzipParameters();
    p.setModificationTime(0);
    p.setOperatingSystem(255);
    return p;
  }

  private static void addDir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    e.setModTime(EPOCH_SECONDS * 1000);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void addFile(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100644);
    e.setSize(content.length);
    e.setModTime(EPOCH_SECONDS * 1000);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static byte[] configJson(Digest diffId, String message) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("created", "2000-01-01T00:00:00Z");
    root.put("architecture", "amd64");
    root.put("os", "linux");
    ObjectNode config = root.putObject("config");
    config.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    config.putArray("Cmd").add("cat").add("/etc/refit-demo/hello.txt");
    config.putObject("Labels").put("org.opencontainers.image.title", "refit demo");
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId.toString());
    ArrayNode history = root.putArray("history");
    history.addObject().put("created", "2000-01-01T00:00:00Z").put("created_by", "refit demo: " + message);
    return JSON.writeValueAsBytes(root);
  }
}
