package dev.refit.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers for settings files: write one into a temp dir, or locate a test resource. */
public final class TestFiles {

  private TestFiles() {}

  public static Path write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file under src/test/resources/settings. */
  public static Path resource(String relative) {
    try {
      return Path.of(TestFiles.class.getResource("/settings/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test resource settings/" + relative, e);
    }
  }

  /** Copies a resource into {@code dir} (so tests can add or remove siblings). */
  public static Path copy(String relative, Path dir, String name) {
    try {
      return Files.copy(resource(relative), dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
