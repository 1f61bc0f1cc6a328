package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.cli.MainTest.Run;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryGcCommandTest {

  private static Digest blob(FsStore store, String repo, byte[] content) {
    BlobWriter w = store.create();
    w.write(ByteBuffer.wrap(content));
    Digest d = w.commit(Digest.sha256(content)).digest();
    store.link(repo, d);
    return d;
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root.resolve("blobs"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void gc_corruptTaggedManifest_exits1NamingItAndKeepsEveryBlob(@TempDir Path root)
      throws Exception {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    Digest config = blob(store, "app", "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
    Digest layer = blob(store, "app", "layer bytes".getBytes(StandardCharsets.UTF_8));
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + config
        + "\",\"size\":15},\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER
        + "\",\"digest\":\"" + layer + "\",\"size\":11}]}";
    RawManifest manifest =
        RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST);
    store.put("app", manifest, "v1");
    Path manifestFile = root.resolve("blobs/sha256/" + manifest.digest().hex().substring(0, 2))
        .resolve(manifest.digest().hex());
    byte[] bytes = Files.readAllBytes(manifestFile);
    bytes[bytes.length / 2] ^= 1;
    Files.write(manifestFile, bytes);
    List<Path> before = files(root);

    Run r = MainTest.run("registry", "gc", "--root", root.toString(), "--grace", "0s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("app@" + manifest.digest()).contains("removed nothing")
        .contains("refit: hint:").doesNotContain("\tat ");
    assertThat(files(root)).isEqualTo(before).hasSize(3);
  }
}
