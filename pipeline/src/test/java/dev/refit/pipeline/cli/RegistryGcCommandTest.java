package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.pipeline.cli.MainTest.Run;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryGcCommandTest {
  private static final byte[] CONFIG = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);

  private static Digest blob(FsStore store, String repo, byte[] content) {
    Digest d = commit(store, content);
    store.link(repo, d);
    return d;
  }

  private static Digest commit(FsStore store, byte[] content) {
    BlobWriter w = store.create();
    w.write(ByteBuffer.wrap(content));
    return w.commit(Digest.sha256(content)).digest();
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root.resolve("blobs"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** config + layer + manifest tagged {@code v1} in {@code app}. */
  private static RawManifest image(FsStore store) {
    Digest config = blob(store, "app", CONFIG);
    Digest layer = blob(store, "app", LAYER);
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + config
        + "\",\"size\":15},\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER
        + "\",\"digest\":\"" + layer + "\",\"size\":11}]}";
    RawManifest manifest =
        RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST);
    store.put("app", manifest, "v1");
    return manifest;
  }

  /** A blob no manifest references, older than any grace. */
  private static Digest orphan(FsStore store, Path root) throws Exception {
    Digest d = commit(store, "nobody needs this".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(blobFile(root, d), FileTime.from(Instant.now().minusSeconds(3600)));
    return d;
  }

  private static Path blobFile(Path root, Digest d) {
    return root.resolve("blobs/sha256/" + d.hex().substring(0, 2)).resolve(d.hex());
  }

  /** Served with a short grace, so that the orphan above is collectable. */
  private static InProcessRegistry serve(Path root, RegistryConfig config) {
    return InProcessRegistry.start(config.withStoreOptions(
        StoreOptions.defaults().withGcGrace(Duration.ofSeconds(1))));
  }

  private static int get(InProcessRegistry registry, String path) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(registry.baseUrl() + path))
            .header("Accept", MediaType.OCI_MANIFEST).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() == 200 && path.contains("sha256:")
        && !Digest.sha256(r.body()).toString().equals(path.substring(path.lastIndexOf('/') + 1))
        ? -1 : r.statusCode();
  }

  @Test
  void gc_servedStore_serverRemovesOrphanAndImageStaysPullable(@TempDir Path root)
      throws Exception {
    try (InProcessRegistry registry = serve(root, RegistryConfig.defaults(root))) {
      RawManifest manifest = image(registry.store());
      Digest orphan = orphan(registry.store(), root);

      Run r = MainTest.run("registry", "gc", "--root", root.toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("removed blob " + orphan).contains("gc: removed 1 blob(s)");
      assertThat(blobFile(root, orphan)).doesNotExist();
      assertThat(get(registry, "/v2/app/manifests/v1")).isEqualTo(200);
      assertThat(get(registry, "/v2/app/manifests/" + manifest.digest())).isEqualTo(200);
      for (Digest d : List.of(Digest.sha256(CONFIG), Digest.sha256(LAYER))) {
        assertThat(get(registry, "/v2/app/blobs/" + d)).as(d.toString()).isEqualTo(200);
      }
    }
  }

  @Test
  void gc_servedStoreWithCorruptManifest_exits1NamingItAndRemovesNothing(@TempDir Path root)
      throws Exception {
    try (InProcessRegistry registry = serve(root, RegistryConfig.defaults(root))) {
      RawManifest manifest = image(registry.store());
      orphan(registry.store(), root);
      Path manifestFile = blobFile(root, manifest.digest());
      byte[] bytes = Files.readAllBytes(manifestFile);
      bytes[bytes.length / 2] ^= 1;
      Files.write(manifestFile, bytes);
      List<Path> before = files(root);

      Run r = MainTest.run("registry", "gc", "--root", root.toString());

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("app@" + manifest.digest()).contains("removed nothing")
          .contains("refit: hint: run 'refit registry verify'").doesNotContain("\tat ");
      assertThat(files(root)).isEqualTo(before).hasSize(4);
    }
  }

  @Test
  void gc_servedStoreWithAuth_needsCredentialsThenRuns(@TempDir Path root, @TempDir Path tmp)
      throws Exception {
    Path htpasswd = Files.writeString(tmp.resolve("htpasswd"),
        "op:" + BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray()) + "\n");
    Path password = Files.writeString(tmp.resolve("password"), "s3cret\n");
    try (InProcessRegistry registry =
        serve(root, RegistryConfig.defaults(root).withHtpasswd(htpasswd))) {
      Digest orphan = orphan(registry.store(), root);

      Run refused = MainTest.run("registry", "gc", "--root", root.toString());
      Run done = MainTest.run("registry", "gc", "--root", root.toString(),
          "--username", "op", "--password-file", password.toString());

      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("requires credentials")
          .contains("refit: hint: pass --username USER --password-file FILE");
      assertThat(done.exitCode()).as(done.err()).isZero();
      assertThat(done.out()).contains("removed blob " + orphan);
    }
  }

  @Test
  void gc_corruptTaggedManifest_exits1NamingItAndKeepsEveryBlob(@TempDir Path root)
      throws Exception {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    RawManifest manifest = image(store);
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
