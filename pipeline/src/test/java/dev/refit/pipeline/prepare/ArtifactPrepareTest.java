package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.pipeline.fetch.CacheMissException;
import dev.refit.pipeline.fetch.ChecksumMismatchException;
import dev.refit.pipeline.fetch.FetchException;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * refit.yaml {@code artifacts} through a whole {@code prepare} run: a real Vert.x HTTP server
 * started here serves the file with Last-Modified and ETag and answers conditional requests as
 * RFC 9110 says; the images come from the real embedded upstream of {@link UpstreamFixture}.
 */
class ArtifactPrepareTest {
  // What the file server answers, changed by the tests between runs, and what it answered.
  private volatile byte[] body = bytes("overcloud-full v1\n", 40_000);
  private volatile Instant modified = Instant.parse("2019-05-06T07:08:09Z");
  private volatile String etag = "\"v1\"";
  private volatile boolean truncate;
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;

  private static final String IMAGE = "novajoin-server";
  private static final String DEST = "images/overcloud-full.tar";
  private static final String ENV_LIST = "parameter_defaults:\n  ContainerNovajoinImage: "
      + "docker.io/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo\n";
  @TempDir Path tmp;
  private UpstreamFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new UpstreamFixture(tmp.resolve("fixture"));
    Files.writeString(env(), ENV_LIST);
    server = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fixture.close();
  }

  /** 200 with validators, 304 when a validator matches, or a body cut off after half. */
  private void serve(HttpServerRequest req) {
    String inm = req.getHeader("If-None-Match");
    String ims = req.getHeader("If-Modified-Since");
    var resp = req.response();
    if (truncate) {
      served.add("truncated");
      resp.putHeader("Content-Length", String.valueOf(body.length));
      // HTTP/1.x: a reset of an unfinished response closes the connection at once.
      resp.write(Buffer.buffer(body).slice(0, body.length / 2)).onComplete(done -> resp.reset());
      return;
    }
    boolean unchanged = inm != null ? inm.equals(etag)
        : ims != null && !modified.isAfter(ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    if (unchanged) {
      served.add("304 inm=" + inm + " ims=" + ims);
      resp.setStatusCode(304).end();
      return;
    }
    served.add("200");
    resp.putHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)))
        .putHeader("ETag", etag).end(Buffer.buffer(body));
  }

  private LoadedSettings settings(String... artifactLines) throws Exception {
    String yaml = Files.readString(fixture.refitYaml)
        .replaceFirst("(?m)^images: .*$", "images: [" + IMAGE + "]\npatch_policy: lenient");
    if (artifactLines.length > 0) {
      yaml += "artifacts:\n" + String.join("\n", artifactLines) + "\n";
    }
    Path file = Files.writeString(tmp.resolve("refit-" + artifactLines.length + ".yaml"), yaml);
    return SettingsLoader.load(fixture.settingsFile, Optional.empty(), Optional.of(file));
  }

  private String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/rdo/overcloud-full.tar";
  }

  private LoadedSettings withArtifact() throws Exception {
    return settings("  - url: " + url(), "    dest: " + DEST);
  }

  private Path cache() {
    return tmp.resolve("cache");
  }

  private Path env() {
    return tmp.resolve("overcloud-images.yaml");
  }

  private PrepareOptions options() {
    return PrepareOptions.of(cache()).withEnvFiles(List.of(env()));
  }

  @Test
  void prepare_artifactNewThenUnchangedThenChanged_fetchedWithMtime_304Cached_updated() throws Exception {
    PrepareReport first = UpstreamFixture.prepare(withArtifact(), options());

    Path target = cache().resolve(DEST);
    assertThat(first.exitCode()).isZero();
    assertThat(first.images()).extracting(ImageOutcome::service).containsExactly(IMAGE);
    assertThat(first.artifacts()).containsExactly(new ArtifactOutcome(url(), DEST, "fetched", body.length));
    assertThat(target).hasBinaryContent(body);
    assertThat(Files.getLastModifiedTime(target).toInstant()).isEqualTo(modified);
    assertThat(first.table()).contains("artifact fetched " + DEST + "  " + body.length + " bytes  " + url());
    assertThat(Files.readString(cache().resolve(PrepareReport.FILE_NAME)))
        .contains("\"dest\" : \"" + DEST + "\"").contains("\"action\" : \"fetched\"");
    assertThat(served).containsExactly("200");

    PrepareReport second = UpstreamFixture.prepare(withArtifact(), options());

    assertThat(second.artifacts()).containsExactly(new ArtifactOutcome(url(), DEST, "cached", 0));
    assertThat(served).hasSize(2).last().asString()
        .startsWith("304 inm=\"v1\" ims=Mon, 06 May 2019 07:08:09 GMT");
    assertThat(target).hasBinaryContent(body);

    body = bytes("overcloud-full v2\n", 50_000);
    modified = Instant.parse("2019-06-01T00:00:00Z");
    etag = "\"v2\"";
    PrepareReport third = UpstreamFixture.prepare(withArtifact(), options());

    assertThat(third.artifacts()).containsExactly(new ArtifactOutcome(url(), DEST, "updated", body.length));
    assertThat(target).hasBinaryContent(body);
    assertThat(Files.getLastModifiedTime(target).toInstant()).isEqualTo(modified);
  }

  @Test
  void prepare_artifactTruncated_failsNamingUrl_neverTrustsTheHalfFile() throws Exception {
    truncate = true;
    assertFailsNamingUrl(FetchException.class);
    assertThat(cache().resolve(DEST)).doesNotExist();
    assertNothingElseWritten();

    truncate = false;
    assertThat(UpstreamFixture.prepare(withArtifact(), options()).exitCode()).isZero();
    byte[] old = body;
    body = bytes("overcloud-full v2\n", 50_000);
    etag = "\"v2\"";
    truncate = true;
    Files.writeString(env(), ENV_LIST);
    Files.delete(env().resolveSibling(env().getFileName() + ".bak"));
    Files.delete(cache().resolve(PrepareReport.FILE_NAME));

    assertFailsNamingUrl(FetchException.class);
    assertThat(cache().resolve(DEST)).as("the old file is kept").hasBinaryContent(old);
    assertNothingElseWritten();
  }

  @Test
  void prepare_artifactChecksumMismatch_failsAndPutsNothingAtDest() throws Exception {
    LoadedSettings wrongSum = settings("  - url: " + url(), "    sha256: " + "0".repeat(64),
        "    dest: " + DEST);

    assertThatThrownBy(() -> UpstreamFixture.prepare(wrongSum, options()))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(url()).hasMessageContaining("sha256:" + "0".repeat(64));

    assertThat(cache().resolve(DEST)).doesNotExist();
    try (var left = Files.list(cache().resolve(DEST).getParent())) {
      assertThat(left).as("no temporary file left").isEmpty();
    }
    assertNothingElseWritten();
  }

  @Test
  void prepare_noFetchWithArtifactCached_reportsItCached() throws Exception {
    assertThat(UpstreamFixture.prepare(withArtifact(), options()).exitCode()).isZero();
    fixture.stopUpstream();
    server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    PrepareReport offline = UpstreamFixture.prepareOffline(withArtifact(), options());

    assertThat(offline.exitCode()).isZero();
    assertThat(offline.artifacts()).containsExactly(new ArtifactOutcome(url(), DEST, "cached", 0));
    assertThat(served).containsExactly("200");
  }

  @Test
  void prepare_noFetchWithArtifactMissing_exits3NamingIt_withTheMissingImages() throws Exception {
    assertThatThrownBy(() -> UpstreamFixture.prepareOffline(withArtifact(), options()))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(CacheMissException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_CACHED);
          assertThat(e.images()).containsExactly(fixture.upstreamRef(IMAGE), url());
        });

    // The images cached, the artifact added later: the miss names the artifact alone.
    assertThat(UpstreamFixture.prepare(settings(), options()).exitCode()).isZero();
    assertThatThrownBy(() -> UpstreamFixture.prepareOffline(withArtifact(), options()))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(CacheMissException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_CACHED);
          assertThat(e.missing()).containsExactly(url());
          assertThat(e.getMessage()).contains("1 reference(s): " + url());
        });
    assertThat(served).isEmpty();
  }

  private void assertFailsNamingUrl(Class<? extends Throwable> type) {
    assertThatThrownBy(() -> UpstreamFixture.prepare(withArtifact(), options()))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(type, e -> assertThat(((FetchException) e).exitCode()).isEqualTo(ExitCode.FAILED))
        .hasMessageContaining(url());
  }

  /** A failed artifact stops the run before the image jobs: no image list, no report. */
  private void assertNothingElseWritten() throws Exception {
    assertThat(Files.readString(env())).isEqualTo(ENV_LIST);
    assertThat(env().resolveSibling(env().getFileName() + ".bak")).doesNotExist();
    assertThat(cache().resolve(PrepareReport.FILE_NAME)).doesNotExist();
  }

  private static byte[] bytes(String line, int size) {
    byte[] unit = line.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = unit[i % unit.length];
    }
    return out;
  }
}
