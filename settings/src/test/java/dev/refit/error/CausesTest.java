package dev.refit.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CausesTest {

  @Test
  void describe_withoutMessage_fallsBackToClassName() {
    assertThat(Causes.describe(new ConnectException())).isEqualTo("ConnectException");
    assertThat(Causes.describe(new NullPointerException())).isEqualTo("NullPointerException");
    assertThat(Causes.describe(new IllegalStateException("  "))).isEqualTo("IllegalStateException");
  }

  @Test
  void describe_null_isNeverTheWordNull() {
    assertThat(Causes.describe(null)).isEqualTo("unknown cause");
  }

  @Test
  void describe_futureWrappers_describeTheirCause() {
    Throwable wrapped = new CompletionException(new ExecutionException(new ConnectException("refused")));
    assertThat(Causes.describe(wrapped)).isEqualTo("refused");
  }

  @Test
  void describe_noSuchFile_saysSo() {
    assertThat(Causes.describe(new NoSuchFileException("/x/deploy.yaml")))
        .isEqualTo("no such file: /x/deploy.yaml");
  }
}
