package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OutOfFilesLogTest {
  private static final IOException EMFILE = new FileSystemException("/store/blobs/x", null,
      "Too many open files");

  @Test
  void isOutOfFiles_wrappedEmfile_isTrue_otherIoFailures_areNot() {
    assertThat(OutOfFilesLog.isOutOfFiles(new UncheckedIOException(EMFILE))).isTrue();
    assertThat(OutOfFilesLog.isOutOfFiles(new IOException("Too many open files in system"))).isTrue();
    assertThat(OutOfFilesLog.isOutOfFiles(new IOException("Permission denied"))).isFalse();
    assertThat(OutOfFilesLog.isOutOfFiles(new IllegalStateException("Too many open files"))).isFalse();
  }

  @Test
  void failed_aThousandTimesInAMinute_logsOneLineThenOneWithTheCount() {
    AtomicLong now = new AtomicLong(0);
    List<String> lines = new ArrayList<>();
    OutOfFilesLog log = new OutOfFilesLog(new Capture(lines), now::get);

    for (int i = 0; i < 1000; i++) {
      log.failed(EMFILE);
    }
    now.addAndGet(61_000_000_000L);
    log.failed(EMFILE);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("1 request(s) failed").contains("out of file descriptors");
    assertThat(lines.get(1)).startsWith("1000 request(s) failed");
  }

  @Test
  void classify_outOfFiles_is503WithRetryAfter() {
    RegistryException e = FailureWriter.classify(new UncheckedIOException(EMFILE));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.headers()).containsEntry("Retry-After", "1");
    assertThat(e.getMessage()).doesNotContain("/store");
  }

  /** Records messages; no stack traces are ever passed to it by the code under test. */
  private record Capture(List<String> lines) implements System.Logger {
    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      assertThat(thrown).isNull();
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(format);
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      lines.add(msgSupplier.get());
    }
  }
}
