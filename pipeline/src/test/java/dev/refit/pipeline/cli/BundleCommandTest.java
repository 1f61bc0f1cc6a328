package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** refit bundle create, verify and load through the real command line: output and exit codes. */
class BundleCommandTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");

  @TempDir Path tmp;
  private InProcessRegistry upstream;
  private UpstreamImages images;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() {
    upstream = InProcessRegistry.start(tmp.resolve("upstream"));
    images = new UpstreamImages(upstream.store());
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void bundle_createVerifyLoad_exit0_andAFlippedByteExits1NamingTheEntry() throws Exception {
    images.image("ceph/ceph", "v18", AMD64, UpstreamImages.layer(1, 200_000));
    Path bundle = tmp.resolve("site.tar");

    assertThat(run("bundle", "create", "-f", sync("ceph/ceph: [v18]").toString(), "-o", bundle.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("site.tar: 1 image(s), 3 blob(s)");
    assertThat(run("bundle", "verify", bundle.toString())).isZero();
    assertThat(run("bundle", "load", bundle.toString(), "--root", tmp.resolve("site").toString(),
        "--cache-dir", tmp.resolve("cache").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("store:ceph:v18", "1 image(s), 2 blob(s) sent, 0 already there");

    try (RandomAccessFile raf = new RandomAccessFile(bundle.toFile(), "rw")) {
      raf.seek(Files.size(bundle) / 2);
      int b = raf.read();
      raf.seek(Files.size(bundle) / 2);
      raf.write(b ^ 0x80);
    }
    assertThat(run("bundle", "verify", bundle.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("refit: error: ").contains(" is corrupt: ").contains("refit: hint: ")
        .doesNotContain("Exception");
  }

  @Test
  void bundleLoad_differentialWithoutItsBase_exits1NamingTheBaseToLoadFirst() throws Exception {
    images.image("ceph/ceph", "v17", AMD64, UpstreamImages.layer(1, 100_000));
    Path base = tmp.resolve("base.tar");
    assertThat(run("bundle", "create", "-f", sync("ceph/ceph: [v17]").toString(), "-o", base.toString())).isZero();
    images.image("ceph/ceph", "v18", AMD64, UpstreamImages.layer(1, 100_000), UpstreamImages.layer(2, 1_000));
    Path next = tmp.resolve("next.tar");
    assertThat(run("bundle", "create", "-f", sync("ceph/ceph: [v18]").toString(), "-o", next.toString(),
        "--since", base.toString())).isZero();

    int code = run("bundle", "load", next.toString(), "--root", tmp.resolve("site").toString(),
        "--cache-dir", tmp.resolve("cache").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("differential", "base.tar").contains("refit: hint: load base.tar first");
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path sync(String image) throws Exception {
    return Files.writeString(tmp.resolve("sync-" + System.nanoTime() + ".yaml"),
        upstream.hostPort() + ":\n  images:\n    " + image + "\n");
  }
}
