package dev.refit.registry.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingOutputStreamTest {
  @TempDir Path dir;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

  @Test
  void write_arraysAndSingleBytes_passesThemOnAndHashesAndCountsAll() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    HashingOutputStream out = HashingOutputStream.sha256(sink);

    out.write("hello ".getBytes(StandardCharsets.UTF_8));
    out.write('w');
    out.write("xxorld".getBytes(StandardCharsets.UTF_8), 2, 4);

    byte[] expected = "hello world".getBytes(StandardCharsets.UTF_8);
    assertThat(sink.toByteArray()).isEqualTo(expected);
    assertThat(out.count()).isEqualTo(11);
    assertThat(out.digest()).isEqualTo(Digest.sha256(expected));
  }

  @Test
  void digest_emptyStream_isTheKnownEmptySha256() {
    assertThat(HashingOutputStream.discarding(Digest.Algorithm.SHA256).digest()).hasToString(
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void hash_fileLargerThanAnyBuffer_matchesDigestOfItsBytes() throws Exception {
    byte[] bytes = random(300_001);
    Path file = Files.write(dir.resolve("f"), bytes);

    assertThat(HashingOutputStream.hash(file, Digest.Algorithm.SHA256)).isEqualTo(Digest.sha256(bytes));
    assertThat(HashingOutputStream.hash(file, Digest.Algorithm.SHA512))
        .isEqualTo(Digest.compute(Digest.Algorithm.SHA512, bytes));
  }

  @Test
  void hash_stream_readsItToTheEnd() throws Exception {
    byte[] bytes = random(70_000);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);

    assertThat(HashingOutputStream.hash(in, Digest.Algorithm.SHA256)).isEqualTo(Digest.sha256(bytes));
    assertThat(in.available()).isZero();
  }
}
