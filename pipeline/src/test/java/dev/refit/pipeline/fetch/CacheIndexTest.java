package dev.refit.pipeline.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheIndexTest {
  @TempDir Path tmp;

  private static CacheEntry entry(String ref, String content) {
    return new CacheEntry(ref, Digest.sha256(content.getBytes(StandardCharsets.UTF_8)),
        "application/vnd.oci.image.manifest.v1+json", "\"abc\"",
        HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT").orElseThrow(),
        "tripleoqueens/centos-binary-nova-api:current-tripleo-rdo", Instant.parse("2026-11-22T03:00:00Z"));
  }

  @Test
  void load_missingFile_isEmpty() {
    CacheIndex index = CacheIndex.loadFrom(tmp.resolve("nothing-here"));
    assertThat(index.entries()).isEmpty();
    assertThat(index.file().getFileName().toString()).isEqualTo(CacheIndex.FILE_NAME);
  }

  @Test
  void save_thenLoad_roundTripsEveryField_inAnyDefaultZone() throws Exception {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
      CacheIndex index = CacheIndex.loadFrom(tmp.resolve("cache"));
      CacheEntry a = entry("docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo", "a");
      CacheEntry b = new CacheEntry("https://example.org/x.tar.gz", Digest.sha256(new byte[] {1}),
          null, null, null, "artifacts/x.tar.gz", Instant.parse("2026-01-01T00:00:00Z"));
      index.put(a);
      index.put(b);
      index.save();
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      CacheIndex back = CacheIndex.loadFrom(tmp.resolve("cache"));
      assertThat(back.get(a.reference())).contains(a);
      assertThat(back.get(b.reference())).contains(b);
      assertThat(back.get(a.reference()).orElseThrow().lastModified())
          .isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
      String json = Files.readString(index.file());
      assertThat(json).contains("\"lastModified\" : \"1994-11-06T08:49:37Z\"");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void save_replacesAtomically_leavingNoTempFiles() throws Exception {
    CacheIndex index = CacheIndex.loadFrom(tmp);
    index.put(entry("r1", "1"));
    index.save();
    index.put(entry("r1", "2"));
    index.save();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CacheIndex.FILE_NAME);
    }
    assertThat(CacheIndex.loadFrom(tmp).get("r1").orElseThrow().digest())
        .isEqualTo(Digest.sha256("2".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void load_corruptFile_failsNamingTheFile() throws Exception {
    Path file = tmp.resolve(CacheIndex.FILE_NAME);
    Files.writeString(file, "{\"version\":1,\"entries\":{\"r\":{\"digest\":\"nope\"");
    assertThatThrownBy(() -> CacheIndex.load(file))
        .isInstanceOf(CacheIndexException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void load_badDigest_failsNamingTheEntry() throws Exception {
    Path file = tmp.resolve(CacheIndex.FILE_NAME);
    Files.writeString(file, "{\"version\":1,\"entries\":{\"some/ref:1\":{\"digest\":\"md5:00\","
        + "\"localReference\":\"x\",\"fetchedAt\":\"2026-01-01T00:00:00Z\"}}}");
    assertThatThrownBy(() -> CacheIndex.load(file))
        .isInstanceOf(CacheIndexException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("some/ref:1");
  }
}
