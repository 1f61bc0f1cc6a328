package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.InvalidDigestException;
import dev.refit.registry.store.BlobUnknownException;
import dev.refit.registry.store.InvalidRepositoryNameException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureWriterTest {
  private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
  private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

  @Test
  void classify_digestMismatch_isDigestInvalidWithBothDigests() {
    RegistryException e = FailureWriter.classify(new DigestMismatchException(A, B));

    assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.detail()).isEqualTo(Map.of("expected", A.toString(), "actual", B.toString()));
  }

  @Test
  void classify_storeAndModelExceptions_mapToSpecCodes() {
    assertThat(FailureWriter.classify(new InvalidDigestException("bad")).code())
        .isEqualTo(ErrorCode.DIGEST_INVALID);
    assertThat(FailureWriter.classify(new BlobUnknownException(A, "linking")).code())
        .isEqualTo(ErrorCode.BLOB_UNKNOWN);
    assertThat(FailureWriter.classify(newInvalidName()).code()).isEqualTo(ErrorCode.NAME_INVALID);
  }

  @Test
  void classify_registryException_isKeptAsIs() {
    RegistryException original = RegistryException.tooLarge("manifest", 10);

    assertThat(FailureWriter.classify(original)).isSameAs(original);
    assertThat(original.status()).isEqualTo(413);
  }

  @Test
  void classify_unexpected_isUnknown500WithoutLosingTheMessage() {
    RegistryException e = FailureWriter.classify(new IllegalStateException("disk on fire"));

    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.getMessage()).contains("disk on fire");
  }

  private static RuntimeException newInvalidName() {
    try {
      dev.refit.registry.store.RepositoryName.validate("../x");
      throw new AssertionError("'../x' was accepted");
    } catch (InvalidRepositoryNameException e) {
      return e;
    }
  }
}
