package dev.refit.pipeline.bundle;

import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Test kit: images docker load accepts, written into a store: each layer a gzip tar, the config
 * listing their diff_ids, in OCI or Docker schema 2 media types. Blocking; not thread-safe.
 */
final class RealImages {
  private RealImages() {}

  static RawManifest image(UpstreamImages images, FsStore store, String repo, String tag, boolean dockerTypes,
      byte[]... tars) {
    List<Descriptor> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (byte[] tar : tars) {
      diffIds.add("\"" + Digest.sha256(tar) + "\"");
      layers.add(images.blob(repo, gzip(tar), dockerTypes ? MediaType.DOCKER_LAYER_GZIP : MediaType.OCI_LAYER_GZIP));
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/none\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}";
    Descriptor cfg = images.blob(repo, config.getBytes(StandardCharsets.UTF_8),
        dockerTypes ? MediaType.DOCKER_CONFIG : MediaType.OCI_CONFIG);
    RawManifest raw;
    if (dockerTypes) {
      StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST
          + "\",\"config\":" + descriptor(cfg) + ",\"layers\":[");
      for (int i = 0; i < layers.size(); i++) {
        json.append(i == 0 ? "" : ",").append(descriptor(layers.get(i)));
      }
      raw = RawManifest.of(json.append("]}").toString().getBytes(StandardCharsets.UTF_8), MediaType.DOCKER_MANIFEST);
    } else {
      raw = Manifest.of(cfg, layers).toRaw();
    }
    store.put(repo, raw, tag);
    return raw;
  }

  static byte[] layerTar(String path, String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(path);
      entry.setSize(bytes.length);
      tar.putArchiveEntry(entry);
      tar.write(bytes);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String descriptor(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
