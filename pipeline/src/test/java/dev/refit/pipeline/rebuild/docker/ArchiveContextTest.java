package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.dockerfile.DockerfileWriter;
import dev.refit.patches.dockerfile.ImagePatches;
import dev.refit.patches.dockerfile.PatchesArchive;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.pipeline.rebuild.RebuildException;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.config.DockerfileStyle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting one image's context out of a real {@code docker_patches.tar.gz}. */
class ArchiveContextTest {

  @TempDir Path tmp;
  private Path archive;
  private ImageRef novaBase;

  @BeforeEach
  void writeArchive() throws Exception {
    novaBase = ImageRef.parse("127.0.0.1:5000/tripleo/nova-api@" + Digest.sha256(new byte[] {1}));
    ImageRef glanceBase = ImageRef.parse("127.0.0.1:5000/tripleo/glance-api@" + Digest.sha256(new byte[] {2}));
    archive = PatchesArchive.write(new DockerfileWriter(DockerfileStyle.COPY).writeAll(List.of(
        image("nova-api", novaBase, "usr/lib/python3/site-packages/nova/api.py", "nova = 1\n"),
        image("glance-api", glanceBase, "usr/lib/python3/site-packages/glance/api.py", "glance = 1\n"))),
        tmp.resolve(PatchesArchive.FILE_NAME)).path();
  }

  @Test
  void extract_oneService_isReRootedWithItsFilesAndModes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ArchiveContext.extract(archive, "nova-api", novaBase.name() + "@" + novaBase.digest(), out);

    Map<String, String> entries = entries(out.toByteArray());
    assertThat(entries.keySet()).contains("Dockerfile", "files/usr/lib/python3/site-packages/nova/api.py")
        .noneMatch(n -> n.contains("glance") || n.startsWith("containers/"));
    assertThat(entries.get("files/usr/lib/python3/site-packages/nova/api.py")).isEqualTo("640:nova = 1\n");
    assertThat(entries.get("Dockerfile")).contains("FROM " + novaBase.name() + "@" + novaBase.digest());
  }

  @Test
  void extract_dockerfileForAnotherBase_failsAsStale() {
    String other = novaBase.name() + "@" + Digest.sha256(new byte[] {9});

    assertThatThrownBy(() -> ArchiveContext.extract(archive, "nova-api", other, new ByteArrayOutputStream()))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("builds FROM " + novaBase.name() + "@" + novaBase.digest())
        .hasMessageContaining("stale");
  }

  @Test
  void extract_serviceNotInArchive_failsNamingTheFolder() {
    assertThatThrownBy(() -> ArchiveContext.extract(archive, "keystone", "x", new ByteArrayOutputStream()))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("containers/keystone/Dockerfile");
  }

  @Test
  void extract_missingArchive_failsPointingAtThePatchStage() {
    assertThatThrownBy(() -> ArchiveContext.extract(tmp.resolve("none.tar.gz"), "nova-api", "x",
        new ByteArrayOutputStream()))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("does not exist");
  }

  private ImagePatches image(String service, ImageRef base, String path, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path content = Files.write(tmp.resolve(service + ".bin"), bytes);
    PatchResult result = new PatchResult(
        List.of(new ChangedFile(path, content, 0640, 42, 42, bytes.length, Digest.sha256(bytes))), List.of());
    return new ImagePatches(service, base, "nova", List.of(AppliedPatch.of("I1", "file a.patch", Digest.sha256(bytes))),
        result);
  }

  /** name -> "mode:content" for files, "dir" for directories. */
  private static Map<String, String> entries(byte[] tar) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName().replaceFirst("/$", ""), e.isDirectory() ? "dir"
            : Integer.toOctalString(e.getMode() & 07777) + ":" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
