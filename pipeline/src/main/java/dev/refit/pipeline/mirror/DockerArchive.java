package dev.refit.pipeline.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code docker-archive:FILE} (docker save's format) as an OCI layout: extracted once
 * ({@link OciArchive#extract}), then each image of {@code manifest.json} gets a Docker schema 2
 * manifest over its config and layer files, which are hashed and moved into the layout's blobs,
 * never read into memory. docker save keeps no manifest, so the manifest digest is new (as with
 * skopeo); config and layer digests are kept. An archive that is an OCI layout already (written
 * by refit) is read as one, every digest kept. Blocking.
 */
final class DockerArchive {
  static final String UNCOMPRESSED_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchive() {}

  /** Extracts {@code archive} under {@code work} and returns the layout to read it through. */
  static OciLayout toLayout(Path archive, Path work) {
    Path saved = work.resolve("saved");
    OciArchive.extract(archive, saved);
    if (Files.exists(saved.resolve(OciLayout.LAYOUT_FILE)) && Files.exists(saved.resolve(OciLayout.INDEX_FILE))) {
      return OciLayout.open(saved);
    }
    try {
      OciLayout layout = OciLayout.create(work.resolve("layout"));
      JsonNode list = JSON.readTree(saved.resolve(DockerSaveList.FILE).toFile());
      Map<String, Descriptor> moved = new HashMap<>();
      for (JsonNode image : list) {
        Descriptor config = blob(saved, image.path("Config").asText(), MediaType.DOCKER_CONFIG, layout, moved);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (JsonNode path : image.path("Layers")) {
          layers.add(json(blob(saved, path.asText(), null, layout, moved)));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaType.DOCKER_MANIFEST);
        manifest.put("config", json(config));
        manifest.put("layers", layers);
        RawManifest raw = RawManifest.of(JSON.writeValueAsBytes(manifest), MediaType.DOCKER_MANIFEST);
        Descriptor written = layout.writeManifest(raw);
        if (image.path("RepoTags").isEmpty()) {
          layout.addManifest(written);
        }
        for (JsonNode tag : image.path("RepoTags")) {
          layout.addManifest(written, familiar(tag.asText()));
        }
      }
      return layout;
    } catch (IOException e) {
      throw new RefitException("cannot read docker-archive " + archive + ": " + e.getMessage(),
          "check that the file is a docker save archive (with manifest.json)", ExitCode.FAILED);
    }
  }

  /**
   * The name as docker shows it: docker save writes {@code ceph:v18}, skopeo
   * {@code docker.io/library/ceph:v18}; both are {@code ceph:v18} here.
   */
  static String familiar(String name) {
    for (String prefix : new String[] {"docker.io/library/", "docker.io/"}) {
      if (name.startsWith(prefix)) {
        return name.substring(prefix.length());
      }
    }
    return name;
  }

  /** Hashes the entry at {@code path} and moves it into the layout's blobs, once per path. */
  private static Descriptor blob(Path saved, String path, String mediaType, OciLayout layout,
      Map<String, Descriptor> moved) throws IOException {
    Descriptor known = moved.get(path);
    if (known != null) {
      return known;
    }
    Path file = saved.resolve(path).normalize();
    if (!file.startsWith(saved) || !Files.isRegularFile(file)) {
      throw new IOException("manifest.json names " + path + ", which the archive lacks");
    }
    Digest digest = HashingOutputStream.hash(file, Digest.Algorithm.SHA256);
    Descriptor d = Descriptor.of(mediaType != null ? mediaType : layerType(file), digest, Files.size(file));
    Path target = layout.blobPath(digest);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      Files.delete(file);
    } else {
      Files.move(file, target);
    }
    moved.put(path, d);
    return d;
  }

  /** gzip (RFC 1952 magic 1f 8b) or a plain tar; docker save writes either, by Docker version. */
  private static String layerType(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b ? MediaType.DOCKER_LAYER_GZIP : UNCOMPRESSED_LAYER;
    }
  }

  private static Map<String, Object> json(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mediaType", d.mediaType());
    m.put("size", d.size());
    m.put("digest", d.digest().toString());
    return m;
  }
}
