package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/** Builds real blobs and manifest JSON in a store for the fs tests. */
final class Fixtures {
  private Fixtures() {}

  static Digest blob(FsStore store, String content) {
    return blob(store, content.getBytes(StandardCharsets.UTF_8));
  }

  static Digest blob(FsStore store, byte[] content) {
    BlobWriter w = store.create();
    w.write(ByteBuffer.wrap(content));
    return w.commit(Digest.sha256(content)).digest();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String descriptor(String mediaType, Digest d, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
  }

  /** An OCI image manifest over the given config and layers (sizes are not checked here). */
  static RawManifest image(Digest config, List<Digest> layers, String extraFields) {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
            + "\"config\":" + descriptor(MediaType.OCI_CONFIG, config, 2) + ","
            + "\"layers\":["
            + layers.stream()
                .map(l -> descriptor(MediaType.OCI_LAYER, l, 1))
                .collect(Collectors.joining(","))
            + "]"
            + (extraFields == null ? "" : "," + extraFields)
            + "}";
    return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST);
  }

  static RawManifest index(List<Digest> children) {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
            + children.stream()
                .map(c -> descriptor(MediaType.OCI_MANIFEST, c, 100))
                .collect(Collectors.joining(","))
            + "]}";
    return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_INDEX);
  }

  /** A complete image (config + one layer blob, manifest put under {@code tag}). */
  static RawManifest pushImage(FsStore store, String repo, String tag, long seed) {
    Digest config = blob(store, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
    Digest layer = blob(store, random(4096, seed));
    store.link(repo, config);
    store.link(repo, layer);
    RawManifest m = image(config, List.of(layer), null);
    store.put(repo, m, tag);
    return m;
  }
}
