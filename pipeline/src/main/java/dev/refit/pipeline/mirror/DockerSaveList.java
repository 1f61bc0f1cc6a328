package dev.refit.pipeline.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker save's {@code manifest.json}: one entry per image (by config), its tags, and the paths
 * of its config and layers inside the tar, which are the OCI layout's {@code blobs/ALG/HEX}
 * entries, so one copy of each blob serves docker load and skopeo. Docker 20.10 decompresses
 * gzip layers itself, so OCI and Docker media types both load. Not thread-safe.
 */
public final class DockerSaveList {
  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Digest, Map<String, Object>> entries = new LinkedHashMap<>();

  /** Adds the image, or only {@code repoTag} when its config is listed already; a null tag adds none. */
  @SuppressWarnings("unchecked")
  public void add(Manifest image, String repoTag) {
    Map<String, Object> entry = entries.computeIfAbsent(image.config().digest(), k -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("Config", blobEntry(image.config().digest()));
      e.put("RepoTags", new ArrayList<String>());
      e.put("Layers", image.layers().stream().map(l -> blobEntry(l.digest())).toList());
      return e;
    });
    if (repoTag != null) {
      ((List<String>) entry.get("RepoTags")).add(repoTag);
    }
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(entries.values());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entry name of a blob in an OCI layout (image-spec "image-layout": blobs/ALG/HEX). */
  public static String blobEntry(Digest digest) {
    return "blobs/" + digest.algorithm().id() + "/" + digest.hex();
  }
}
