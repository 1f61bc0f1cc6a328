package dev.refit.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.ImageAssertions;
import dev.refit.registry.testkit.RandomImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OciLayout, RandomImage and ImageRef against a real peer: skopeo reads and writes OCI layouts. */
class OciLayoutSkopeoIT {
  @TempDir Path dir;

  @BeforeAll
  static void skopeoPresent() {
    assumeTrue(run(List.of("skopeo", "--version")).exit == 0, "skopeo is not installed");
  }

  @Test
  void skopeo_readsOurLayout_andWritesOneWeRead() throws Exception {
    OciLayout ours = OciLayout.create(dir.resolve("ours"));
    RandomImage.Image image = RandomImage.intoLayout(ours, "v1", 3, 200_000);
    ImageRef source = ImageRef.parse("oci:" + ours.root() + ":v1");

    Result raw = run(List.of("skopeo", "inspect", "--raw", source.transportForm()));
    assertThat(raw.exit).as(raw.stderr).isZero();
    assertThat(raw.stdout).isEqualTo(image.manifest().bytes());

    Path copyDir = dir.resolve("copy");
    ImageRef target = ImageRef.parse("oci:" + copyDir + ":copied");
    Result copy = run(List.of("skopeo", "copy", "--quiet", source.transportForm(), target.transportForm()));
    assertThat(copy.exit).as(copy.stderr).isZero();

    OciLayout theirs = OciLayout.open(target.path());
    Descriptor copied = theirs.resolve(target.tag());
    ImageAssertions.assertValid(theirs);
    Manifest m = Manifest.parse(theirs.readManifest(copied).bytes());
    // skopeo gzips uncompressed layers when writing a layout; the uncompressed content (diff_ids,
    // checked by assertValid above) is ours.
    assertThat(m.layers()).hasSize(3).allSatisfy(l ->
        assertThat(l.mediaType()).isEqualTo(MediaType.OCI_LAYER_GZIP));
    ImageConfig config;
    try (InputStream in = theirs.openBlob(m.config().digest())) {
      config = ImageConfig.parse(in.readAllBytes());
    }
    assertThat(config.diffIds())
        .containsExactlyElementsOf(image.layerDescriptors().stream().map(Descriptor::digest).toList());
  }

  @Test
  void skopeo_sourceIndexSyntax_agreesWithImageRef() {
    OciLayout ours = OciLayout.create(dir.resolve("two"));
    RandomImage.intoLayout(ours, "a", 1, 10);
    RandomImage.Image b = RandomImage.intoLayout(ours, "b", 1, 10);
    ImageRef second = ImageRef.parse("oci:" + ours.root() + ":@1");
    assertThat(ours.resolve(second.sourceIndex()).digest()).isEqualTo(b.manifestDescriptor().digest());
    Result raw = run(List.of("skopeo", "inspect", "--raw", second.transportForm()));
    // skopeo older than 1.14 has no @N syntax; then only our side is checked
    if (raw.exit == 0) {
      assertThat(raw.stdout).isEqualTo(b.manifest().bytes());
    }
  }

  record Result(int exit, byte[] stdout, String stderr) {}

  static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
      drain.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out, "timed out: " + command);
      }
      drain.join();
      return new Result(p.exitValue(), out, err.toString());
    } catch (IOException e) {
      return new Result(-1, new byte[0], e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, new byte[0], "interrupted");
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended; what was read is kept
    }
  }
}
