package dev.refit.pipeline.rewrite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Test fixtures under src/test/resources/rewrite, copied into a test's temp dir. */
final class Fixtures {

  static final String LOCAL = "10.0.0.5:8787";

  private Fixtures() {
  }

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/rewrite/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path copy(String name, Path dir) throws IOException {
    return Files.writeString(dir.resolve(name), text(name));
  }

  /** The mapping the tests use: nova-api, neutron-server and the ceph daemon image were patched. */
  static ImageMapping patched() {
    return ImageMapping.of(LOCAL).withPatched(Set.of("nova-api", "neutron-server", "daemon"));
  }

  static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
