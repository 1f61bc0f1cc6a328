package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.patches.image.TestLayer;
import dev.refit.pipeline.diff.DiffImages;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.oci.json.Json;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code refit diff} through {@link Main}: outputs, references and the 0/1/2 exit codes. */
class DiffCommandTest {
  @TempDir Path tmp;
  FsStore store;
  DiffImages images;
  byte[] base;
  byte[] top;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() throws Exception {
    store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    images = new DiffImages(store, Files.createDirectories(tmp.resolve("layers")));
    base = images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "one\ntwo\nthree\n")
        .file("etc/gone.conf", "bye\n").file("etc/noeol", "last line")
        .file("etc/bin", new byte[] {1, 0, 2}, 0644, 0, 0).file("etc/mixed", "text now\n"));
    top = images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "one\n2\nthree\nfour\n")
        .whiteout("etc/gone.conf").file("etc/new.conf", "hello\n").file("etc/noeol", "last line!")
        .file("etc/bin", new byte[] {1, 0, 3}, 0644, 0, 0)
        .file("etc/mixed", new byte[] {0, 1}, 0644, 0, 0));
    images.image("app", "base", base);
    images.image("app", "copy", base);
    images.image("app", "apex", base, top);
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("diff", "--root", store.root().toString(),
        "--cache-dir", tmp.resolve("cache").toString()));
    all.addAll(List.of(args));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void diff_sameImage_exits0() {
    assertThat(run("app:base", "app:copy")).isEqualTo(0);
    assertThat(out.toString()).contains("same: no difference");
  }

  @Test
  void diff_different_exits1WithTable() {
    assertThat(run("app:base", "app:apex")).isEqualTo(1);
    assertThat(out.toString()).contains("M /etc/a.conf  size 14 -> 17, content sha256:")
        .contains("R /etc/gone.conf  file 0644 0:0 4 B").contains("A /etc/new.conf  file 0644 0:0 6 B")
        .contains("4 changed");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void diff_json_isTheDocumentedDocument() throws Exception {
    assertThat(run("app:base", "app:apex", "--output", "json", "--paths", "/etc/*.conf")).isEqualTo(1);
    JsonNode json = Json.mapper().readTree(out.toString());
    assertThat(json.get("schema").asText()).isEqualTo("refit.diff/v1");
    assertThat(json.get("same").asBoolean()).isFalse();
    assertThat(json.at("/summary/changed").asInt()).isEqualTo(1);
    assertThat(json.at("/paths/0/path").asText()).isEqualTo("/etc/a.conf");
    assertThat(json.get("paths")).hasSize(3);
    assertThat(json.at("/a/reference").asText()).isEqualTo("app:base");
  }

  @Test
  void diff_unified_appliesWithRealPatchToUnpackedA() throws Exception {
    assertThat(run("app:base", "app:apex", "--output", "unified")).isEqualTo(1);
    Path patchFile = Files.writeString(tmp.resolve("a-to-b.patch"), out.toString());
    assertThat(out.toString()).contains("--- a/etc/a.conf\n+++ b/etc/a.conf\n")
        .contains("--- /dev/null\n+++ b/etc/new.conf\n").contains("+++ /dev/null\n")
        .contains("\\ No newline at end of file").doesNotContain("etc/bin").doesNotContain("etc/mixed");
    Path tree = Files.createDirectories(tmp.resolve("unpacked"));
    untar(base, tree);

    Process p = new ProcessBuilder("patch", "-p1", "-i", patchFile.toString()).directory(tree.toFile())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(log).isEqualTo(0);

    assertThat(Files.readString(tree.resolve("etc/a.conf"))).isEqualTo("one\n2\nthree\nfour\n");
    assertThat(Files.readString(tree.resolve("etc/new.conf"))).isEqualTo("hello\n");
    assertThat(Files.readString(tree.resolve("etc/noeol"))).isEqualTo("last line!");
    assertThat(tree.resolve("etc/gone.conf")).doesNotExist();
  }

  @Test
  void diff_ociLayoutAgainstStoreName_isSame() throws Exception {
    RawManifest m = store.get("app", "apex").orElseThrow();
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    Manifest parsed = Manifest.parse(m.bytes());
    for (Descriptor d : parsed.references()) {
      try (InputStream in = Files.newInputStream(FsStore.blobFile(store.root(), d.digest()))) {
        layout.writeBlob(in, d.digest());
      }
    }
    layout.addManifest(layout.writeManifest(m), "v1");

    assertThat(run("oci:" + tmp.resolve("layout") + ":v1", "app:apex")).as(err.toString()).isEqualTo(0);
    assertThat(run("oci:" + tmp.resolve("layout") + ":v1", "app:base")).isEqualTo(1);
  }

  @Test
  void diff_dockerReference_readsThroughTheRegistry() {
    try (InProcessRegistry served = InProcessRegistry.start(store.root())) {
      assertThat(run("docker://" + served.hostPort() + "/app:apex", "app:apex")).as(err.toString())
          .isEqualTo(0);
      assertThat(run("docker://" + served.hostPort() + "/app:base", "app:apex")).isEqualTo(1);
      assertThat(out.toString()).contains("a: docker://" + served.hostPort() + "/app:base ");
    }
  }

  @Test
  void diff_multiPlatformIndex_platformPicksTheImage() {
    String arm = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    RawManifest armImage = images.image("multi", null, arm, top);
    RawManifest amdImage = images.image("multi", null, base);
    images.index("multi", "v1", List.of(armImage, amdImage),
        List.of(Platform.of("linux", "arm64"), Platform.of("linux", "amd64")));

    assertThat(run("multi:v1", "app:base")).as(err.toString()).isEqualTo(0);
    assertThat(run("multi:v1", "app:base", "--platform", "linux/arm64")).isEqualTo(1);
    assertThat(out.toString()).contains("linux/arm64 1 layers");
    assertThat(run("multi:v1", "app:base", "--platform", "linux/s390x")).isEqualTo(2);
    assertThat(err.toString()).contains("no linux/s390x image").contains("linux/arm64")
        .contains("linux/amd64");
  }

  @Test
  void diff_trouble_exits2() {
    assertThat(run("app:base", "app:missing")).isEqualTo(2);
    assertThat(err.toString()).contains("refit: error: no image app:missing").contains("refit: hint:");
    assertThat(run("app:base", "app:apex", "--platform", "linux")).isEqualTo(2);
    assertThat(run("NOT A REF", "app:apex")).isEqualTo(2);
    assertThat(run("app:base", "docker://127.0.0.1:9/app:v1", "--no-fetch")).isEqualTo(2);
    assertThat(err.toString()).contains("docker://127.0.0.1:9/app:v1");
    assertThat(run("app:base", "app:apex", "--paths", "[")).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  private static void untar(byte[] gzipLayer, Path dir) throws Exception {
    Process p = new ProcessBuilder("tar", "-xzf", "-", "-C", dir.toString()).redirectErrorStream(true).start();
    try (var in = new ByteArrayInputStream(gzipLayer); var stdin = p.getOutputStream()) {
      in.transferTo(stdin);
    }
    assertThat(p.waitFor()).isEqualTo(0);
  }
}
