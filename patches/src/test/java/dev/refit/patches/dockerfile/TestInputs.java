package dev.refit.patches.dockerfile;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds real work files and the records that point at them, as the patch engine would. */
final class TestInputs {

  static final Digest BASE_DIGEST = Digest.sha256("base manifest".getBytes(StandardCharsets.UTF_8));

  private TestInputs() {}

  /** Writes {@code text} to a fresh file in {@code workDir} and describes it as a changed file. */
  static ChangedFile changed(Path workDir, String path, String text, int mode, int uid, int gid) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      Path content = Files.createTempFile(workDir, "content-", ".bin");
      Files.write(content, bytes);
      return new ChangedFile(path, content, mode, uid, gid, bytes.length, Digest.sha256(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChangedFile changed(Path workDir, String path, String text) {
    return changed(workDir, path, text, 0644, 0, 0);
  }

  static ImageRef base(String repository) {
    return ImageRef.parse("127.0.0.1:8787/" + repository + ":current-tripleo@" + BASE_DIGEST);
  }

  static AppliedPatch patch(String id) {
    return AppliedPatch.of(id, "gerrit openstack/nova~master~" + id,
        Digest.sha256(id.getBytes(StandardCharsets.UTF_8)));
  }
}
