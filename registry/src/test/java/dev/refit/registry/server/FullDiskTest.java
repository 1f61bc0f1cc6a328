package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.body;
import static dev.refit.registry.server.RegistryHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.store.fs.GarbageCollector;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose store sits on a 2 MiB tmpfs, filled by pushes. Needs root to mount; skipped
 * (not failed) when the test does not run as root or the mount is refused, e.g. in an
 * unprivileged container. CI runs the tests as root.
 */
class FullDiskTest {
  private static final String STORAGE_FULL = "storage is full";

  @TempDir Path dir;
  private Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void mountAndStart() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    root = Files.createDirectory(dir.resolve("tmpfs"));
    assumeTrue(exec("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", root.toString()) == 0,
        "mount -t tmpfs was refused");
    // Zero grace: the gc at the end may sweep what the failed pushes left at once.
    registry = InProcessRegistry.start(RegistryConfig.defaults(root)
        .withStoreOptions(StoreOptions.defaults().withGcGrace(Duration.ZERO)));
    http = new RegistryHttp(registry.baseUrl());
  }

  @AfterEach
  void stopAndUnmount() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (root != null) {
      exec("umount", root.toString());
    }
  }

  @Test
  void push_pastTheFreeSpace_fails507NamingTheFullDisk_andLeavesNothingBehind() throws Exception {
    byte[] kept = http.pushSmallImage("app", "kept");
    Digest keptDigest = http.pushManifest("app", "v1", kept, MediaType.OCI_MANIFEST);
    byte[] big = new byte[3 * 1024 * 1024];
    new Random(1).nextBytes(big);

    // Monolithic and chunked uploads that do not fit.
    HttpResponse<byte[]> monolithic = http.send("POST",
        "/v2/big/blobs/uploads/?digest=" + Digest.sha256(big), big);
    HttpResponse<byte[]> session = http.send("POST", "/v2/big/blobs/uploads/", (byte[]) null);
    assertThat(session.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> chunk = http.send("PATCH",
        session.headers().firstValue("Location").orElseThrow(), big,
        "Content-Type", "application/octet-stream");

    // A manifest PUT once the disk is full to the last page.
    byte[] image = http.pushSmallImage("new", "never tagged");
    fill(root.resolve(".filler"));
    HttpResponse<byte[]> manifest = http.send("PUT", "/v2/new/manifests/v1", image,
        "Content-Type", MediaType.OCI_MANIFEST);

    for (HttpResponse<byte[]> r : List.of(monolithic, chunk, manifest)) {
      assertError(r, 507, "UNKNOWN");
      assertThat(json(r).getJsonArray("errors").getJsonObject(0).getString("message"))
          .contains(STORAGE_FULL).doesNotContain(root.toString());
    }
    assertThat(children(root.resolve("uploads"))).isEmpty();
    assertThat(http.get("/v2/new/manifests/v1").statusCode()).isEqualTo(404);
    assertThat(children(root.resolve("repositories/new/_manifests/revisions/sha256"))).isEmpty();

    Files.delete(root.resolve(".filler"));
    new GarbageCollector(registry.store()).run(false);

    assertThat(json(http.get("/v2/_catalog")).getJsonArray("repositories").getList())
        .as("catalog after gc: %s", body(http.get("/v2/_catalog")))
        .containsExactly("app");
    assertThat(children(root.resolve("uploads"))).isEmpty();
    assertThat(new StoreVerifier(registry.store()).verify().ok()).isTrue();
    HttpResponse<byte[]> pulled = http.get("/v2/app/manifests/v1");
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(kept);
    assertThat(Digest.sha256(pulled.body())).isEqualTo(keptDigest);
  }

  /** Writes zeros until the filesystem refuses more. */
  private static void fill(Path file) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static int exec(String... command) throws Exception {
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }
}
