package dev.refit.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RefitExceptionTest {

  @Test
  void refitException_blankHint_isNull() {
    RefitException e = new RefitException("broken", " ", ExitCode.FAILED);
    assertThat(e.hint()).isNull();
    assertThat(e.exitCode().code()).isEqualTo(1);
  }

  @Test
  void refitException_wrapperWithoutHint_keepsItsCausesHint() {
    RefitException cause = new RefitException("connection refused", "start it", ExitCode.FAILED);
    RefitException wrapper = new RefitException("could not read X", null, ExitCode.USAGE,
        new CompletionException(cause));
    assertThat(wrapper.hint()).isEqualTo("start it");
    assertThat(wrapper.exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void refitException_nullMessage_fallsBackToTheCause() {
    RefitException e = new RefitException(null, null, ExitCode.FAILED, new ConnectException());
    assertThat(e.getMessage()).isEqualTo("ConnectException");
  }
}
