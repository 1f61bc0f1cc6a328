package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Test kit: one {@code refit demo} run per test JVM, into a temporary cache directory deleted at
 * exit, for tests that only read its store and report. Thread-safe.
 */
public final class DemoCache {
  private static Path cache;

  private DemoCache() {}

  /** The cache directory of a finished demo run: store in {@code registry/}, report beside it. */
  public static synchronized Path get() {
    if (cache == null) {
      try {
        Path dir = Files.createTempDirectory("refit-demo-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        MainTest.Run run = MainTest.demo(dir);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        cache = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cache;
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at exit
    }
  }
}
