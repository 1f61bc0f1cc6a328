package dev.refit.pipeline.fetch;

import static dev.refit.pipeline.fetch.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ArtifactFetcherTest {
  private static final String LAST_MODIFIED = "Tue, 15 Nov 1994 12:45:26 GMT";
  private static final Instant LAST_MODIFIED_UTC = Instant.parse("1994-11-15T12:45:26Z");

  @TempDir Path tmp;
  private TimeZone savedZone;
  private HttpServer server;
  private volatile byte[] content = "tarball v1".getBytes(StandardCharsets.UTF_8);
  private volatile String etag = "\"v1\"";
  private volatile String lastModified = LAST_MODIFIED;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private final List<MultiMap> seenHeaders = new CopyOnWriteArrayList<>();

  /** A real HTTP server on port 0 that honours If-None-Match and If-Modified-Since (RFC 9110 13.1). */
  @BeforeEach
  void start(Vertx vertx) {
    savedZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
    server = await(vertx.createHttpServer().requestHandler(req -> {
      requests.incrementAndGet();
      seenHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      if (!req.path().equals("/files/overcloud-full.tar.gz")) {
        req.response().setStatusCode(404).end();
        return;
      }
      String inm = req.getHeader("If-None-Match");
      Optional<Instant> ims = HttpDate.parse(req.getHeader("If-Modified-Since"));
      Instant lm = HttpDate.parse(lastModified).orElseThrow();
      boolean fresh = inm != null ? inm.equals(etag) : ims.isPresent() && !lm.isAfter(ims.get());
      req.response().putHeader("ETag", etag).putHeader("Last-Modified", lastModified);
      if (fresh) {
        notModified.incrementAndGet();
        req.response().setStatusCode(304).end();
      } else {
        req.response().putHeader("Content-Type", "application/gzip").end(Buffer.buffer(content));
      }
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    TimeZone.setDefault(savedZone);
    await(server.close());
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/files/overcloud-full.tar.gz");
  }

  private Path target() {
    return tmp.resolve("images").resolve("overcloud-full.tar.gz");
  }

  @Test
  void fetch_thenRefetch_sendsValidatorsAndKeepsFileOn304(Vertx vertx) throws Exception {
    CacheIndex index = CacheIndex.loadFrom(tmp.resolve("cache"));
    ArtifactFetcher fetcher = ArtifactFetcher.online(vertx, index, java.time.Clock.systemUTC());

    ArtifactResult first = await(fetcher.fetch(ArtifactRequest.of(url(), target())));
    assertThat(first.action()).isEqualTo(FetchAction.FETCHED);
    assertThat(Files.readAllBytes(target())).isEqualTo(content);
    assertThat(Files.getLastModifiedTime(target()).toInstant()).isEqualTo(LAST_MODIFIED_UTC);
    assertThat(first.digest()).isEqualTo(Digest.sha256(content));
    assertThat(seenHeaders.get(0).contains("If-None-Match")).isFalse();

    // A fresh index loaded from disk proves the validators were persisted.
    ArtifactFetcher again = ArtifactFetcher.online(vertx, CacheIndex.loadFrom(tmp.resolve("cache")), java.time.Clock.systemUTC());
    ArtifactResult second = await(again.fetch(ArtifactRequest.of(url(), target())));
    assertThat(second.action()).isEqualTo(FetchAction.CACHED);
    assertThat(second.bytes()).isZero();
    assertThat(requests.get()).isEqualTo(2);
    assertThat(notModified.get()).isEqualTo(1);
    assertThat(seenHeaders.get(1).get("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(seenHeaders.get(1).get("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
    assertThat(Files.getLastModifiedTime(target()).toInstant()).isEqualTo(LAST_MODIFIED_UTC);
  }

  @Test
  void fetch_withoutIndex_validatesByFileMtimeInUtc(Vertx vertx) throws Exception {
    await(ArtifactFetcher.online(vertx, CacheIndex.loadFrom(tmp.resolve("a")), java.time.Clock.systemUTC())
        .fetch(ArtifactRequest.of(url(), target())));
    etag = "\"other\"";
    // No index (as after Apex placed the file): only the mtime validates, and it must be read as UTC.
    ArtifactResult r = await(ArtifactFetcher.online(vertx, CacheIndex.loadFrom(tmp.resolve("b")), java.time.Clock.systemUTC())
        .fetch(ArtifactRequest.of(url(), target())));
    assertThat(seenHeaders.get(1).get("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
    assertThat(seenHeaders.get(1).contains("If-None-Match")).isFalse();
    assertThat(r.action()).isEqualTo(FetchAction.CACHED);
    assertThat(notModified.get()).isEqualTo(1);
  }

  @Test
  void fetch_changedUpstream_replacesFileAndMtime(Vertx vertx) throws Exception {
    CacheIndex index = CacheIndex.loadFrom(tmp.resolve("cache"));
    ArtifactFetcher fetcher = ArtifactFetcher.online(vertx, index, java.time.Clock.systemUTC());
    await(fetcher.fetch(ArtifactRequest.of(url(), target())));
    content = "tarball v2, longer".getBytes(StandardCharsets.UTF_8);
    etag = "\"v2\"";
    lastModified = "Wed, 01 Jan 2025 23:30:00 GMT";

    ArtifactResult r = await(fetcher.fetch(ArtifactRequest.of(url(), target())));
    assertThat(r.action()).isEqualTo(FetchAction.UPDATED);
    assertThat(Files.readAllBytes(target())).isEqualTo(content);
    assertThat(Files.getLastModifiedTime(target()).toInstant()).isEqualTo(Instant.parse("2025-01-01T23:30:00Z"));
    assertThat(index.get(url().toString()).orElseThrow().etag()).isEqualTo("\"v2\"");
  }

  @Test
  void fetch_checksumMismatch_leavesNothing(Vertx vertx) throws Exception {
    CacheIndex index = CacheIndex.loadFrom(tmp.resolve("cache"));
    ArtifactFetcher fetcher = ArtifactFetcher.online(vertx, index, java.time.Clock.systemUTC());
    String wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8)).toString();

    assertThatThrownBy(() -> await(fetcher.fetch(ArtifactRequest.of(url(), target()).withChecksum(wrong))))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(wrong)
        .hasMessageContaining(Digest.sha256(content).toString());
    assertThat(target()).doesNotExist();
    try (Stream<Path> left = Files.list(target().getParent())) {
      assertThat(left).isEmpty();
    }
    assertThat(index.get(url().toString())).isEmpty();
  }

  @Test
  void fetch_checksumMatches_bareHexAccepted(Vertx vertx) {
    ArtifactFetcher fetcher = ArtifactFetcher.online(vertx, CacheIndex.loadFrom(tmp.resolve("cache")), java.time.Clock.systemUTC());
    ArtifactResult r = await(fetcher.fetch(
        ArtifactRequest.of(url(), target()).withChecksum(Digest.sha256(content).hex())));
    assertThat(r.action()).isEqualTo(FetchAction.FETCHED);
    assertThat(target()).exists();
  }

  @Test
  void noFetch_usesLocalFileWithoutAnyRequest_elseListsTheMissingUrl(Vertx vertx) {
    await(ArtifactFetcher.online(vertx, CacheIndex.loadFrom(tmp.resolve("cache")), java.time.Clock.systemUTC())
        .fetch(ArtifactRequest.of(url(), target())));
    int before = requests.get();
    ArtifactFetcher offline = ArtifactFetcher.cacheOnly(vertx, CacheIndex.loadFrom(tmp.resolve("cache")), java.time.Clock.systemUTC());

    ArtifactResult r = await(offline.fetch(
        ArtifactRequest.of(url(), target()).withChecksum(Digest.sha256(content).toString())));
    assertThat(r.action()).isEqualTo(FetchAction.CACHED);
    assertThat(r.lastModified()).isEqualTo(LAST_MODIFIED_UTC);

    URI missing = URI.create(url().toString().replace("overcloud-full", "undercloud"));
    assertThatThrownBy(() -> await(offline.fetch(ArtifactRequest.of(missing, tmp.resolve("undercloud.tar.gz")))))
        .isInstanceOf(CacheMissException.class)
        .satisfies(e -> assertThat(((CacheMissException) e).missing()).containsExactly(missing.toString()));
    assertThat(requests.get()).isEqualTo(before);
  }
}
