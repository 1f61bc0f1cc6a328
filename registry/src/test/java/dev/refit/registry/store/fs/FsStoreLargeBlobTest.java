package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the heap stays flat for blobs larger than the heap: a child JVM with -Xmx24m streams
 * 96 MiB of blobs through the store (see {@link LargeBlobProbe}).
 */
class FsStoreLargeBlobTest {
  @TempDir Path root;

  @Test
  void largeBlobs_throughEveryBytePath_withHeapSmallerThanBlob() throws Exception {
    int mib = 48;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx24m",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LargeBlobProbe.class.getName(),
                    root.toString(),
                    Integer.toString(mib)))
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("probe finished in time").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("ok sha256:").contains(" sha512:").contains("corrupt=0");
    assertThat(out).contains("verified=2");
  }
}
