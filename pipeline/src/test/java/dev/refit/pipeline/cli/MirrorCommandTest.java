package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.testkit.FaultProxy;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MirrorCommandTest {
  @TempDir Path tmp;

  @Test
  void mirror_misspeltKey_exits2WithLineColumnAndSuggestion() throws Exception {
    Path sync = Files.writeString(tmp.resolve("sync.yaml"), "quay.io:\n  imagse:\n    ceph/ceph: [v18]\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("mirror", "-f", sync.toString(), "--root", tmp.resolve("store").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("refit: error: " + sync + ":2:3: unknown key 'imagse' in 'quay.io'")
        .contains("refit: hint: did you mean 'images'?");
  }

  @Test
  void mirror_noFetchWithRegistrySource_exits3() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("mirror", "docker://127.0.0.1:9/ceph/ceph:v18", "--no-fetch",
        "--root", tmp.resolve("store").toString());
    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("docker://127.0.0.1:9/ceph/ceph:v18");
  }

  /**
   * A destination only this machine sees exits 2 before joining: the cluster port is taken, so
   * joining would exit 1 naming it.
   */
  @Test
  void mirror_clusterIntoEmbeddedStoreOrLocalFile_exits2BeforeJoining() throws Exception {
    Path sync = Files.writeString(tmp.resolve("sync.yaml"), "127.0.0.1:9:\n  images:\n    ceph/ceph: [v18]\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      for (String[] to : new String[][] {{}, {"--to", "oci:" + tmp.resolve("layout")},
          {"--to", "oci-archive:" + tmp.resolve("a.tar")}, {"--to", "bundle:" + tmp.resolve("b.tar")}}) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("mirror", "-f", sync.toString(), "--root",
            tmp.resolve("store").toString(), "--cluster", "--cluster-port", port));
        args.addAll(List.of(to));

        int code = cli.execute(args.toArray(String[]::new));

        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("--cluster needs a destination every node reaches")
            .contains(to.length == 0 ? "the embedded store, which serves one machine" : to[1])
            .contains("refit: hint: mirror with --to docker://HOST:PORT").doesNotContain("Exception");
      }
    }
  }

  @Test
  void mirror_clusterNoFetchWithRegistrySources_exits3() throws Exception {
    Path sync = Files.writeString(tmp.resolve("sync.yaml"), "127.0.0.1:9:\n  images:\n    ceph/ceph: [v18]\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("mirror", "-f", sync.toString(), "--to", "docker://127.0.0.1:9", "--no-fetch",
        "--cluster");

    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString()).contains("docker://127.0.0.1:9/ceph/ceph");
  }

  /**
   * Issue 11: after retries give up on a blob whose bytes never match its digest, the run exits 1
   * naming the image and the blob; the other image is mirrored, and nothing corrupt is stored.
   */
  @Test
  void mirror_blobAlwaysCorruptUpstream_exits1NamingImageAndBlob_othersMirrored() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (InProcessRegistry upstream = InProcessRegistry.start(tmp.resolve("upstream"))) {
      UpstreamImages images = new UpstreamImages(upstream.store());
      Platform amd64 = Platform.of("linux", "amd64");
      byte[] bad = UpstreamImages.layer(21, 200_000);
      images.image("ceph/broken", "v1", amd64, bad);
      RawManifest fine = images.image("ceph/fine", "v1", amd64, UpstreamImages.layer(22, 100_000));
      Descriptor corrupt = images.blob("ceph/broken", bad, MediaType.OCI_LAYER_GZIP);
      FaultProxy proxy = FaultProxy.start(vertx, upstream);
      proxy.failAlways(FaultProxy.Kind.of(HttpMethod.GET, "/v2/ceph/broken/blobs/" + corrupt.digest()),
          FaultProxy.Fault.FLIP_BYTE);
      Path sync = Files.writeString(tmp.resolve("sync.yaml"),
          "%s:\n  images:\n    ceph/broken: [v1]\n    ceph/fine: [v1]\n".formatted(proxy.hostPort()));
      Path root = tmp.resolve("store");
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err));
      cli.setOut(new PrintWriter(new StringWriter()));

      int code = cli.execute("mirror", "-f", sync.toString(), "--root", root.toString());

      assertThat(code).as(err.toString()).isEqualTo(1);
      assertThat(err.toString()).contains("ceph/broken:v1").contains(corrupt.digest().toString())
          .doesNotContain("Exception");
      FsStore store = FsStore.open(root, StoreOptions.defaults());
      assertThat(store.stat(corrupt.digest())).as("a corrupt blob is never stored").isEmpty();
      assertThat(store.get("broken", "v1")).isEmpty();
      assertThat(store.get("fine", "v1").orElseThrow().digest()).isEqualTo(fine.digest());
      assertThat(new StoreVerifier(store).verify().ok()).isTrue();
      proxy.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
