package dev.refit.pipeline.fetch;

import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fetches file artifacts over HTTP with conditional requests (RFC 9110 sections 13.1.1
 * If-None-Match and 13.1.3 If-Modified-Since), so an unchanged file costs one 304. Thread-safe;
 * the blocking download runs on the {@code refit-fetch-artifacts} worker pool.
 *
 * <p>A download streams into a temporary file beside the target while it is hashed, is checked
 * against the expected checksum, fsynced, given the server's Last-Modified (UTC) as mtime and
 * only then renamed into place, so the target is always the old file or the complete new one.
 * The offline form ({@link #cacheOnly}, which {@link UpstreamAccess#artifacts} hands out for
 * {@code --no-fetch}) makes no request: the local file is used, or a {@link CacheMissException}
 * names the URL.
 *
 * <p>{@code refit prepare} uses it for refit.yaml's {@code artifacts}, in its {@code ArtifactStage}.
 */
public final class ArtifactFetcher {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private final CacheIndex index;
  private final Step step;
  private final HttpClient http;
  private final WorkerExecutor io;
  private final Clock clock;

  /** How one request is answered: by the server, or from the cache only. */
  @FunctionalInterface
  private interface Step {
    ArtifactResult take(ArtifactRequest request) throws IOException, InterruptedException;
  }

  /** Downloads conditionally, with the server's validators. */
  public static ArtifactFetcher online(Vertx vertx, CacheIndex index, Clock clock) {
    return new ArtifactFetcher(vertx, index, f -> f::online, clock);
  }

  /** Answers from the local files only; never sends a request. */
  public static ArtifactFetcher cacheOnly(Vertx vertx, CacheIndex index, Clock clock) {
    return new ArtifactFetcher(vertx, index, f -> f::offline, clock);
  }

  private ArtifactFetcher(Vertx vertx, CacheIndex index,
      java.util.function.Function<ArtifactFetcher, Step> step, Clock clock) {
    this.index = index;
    // The JDK client opens no connection until a request is sent, and an offline fetcher sends none.
    // HTTP/1.1: on plain http the JDK client otherwise tries an h2c upgrade, which some servers
    // (Vert.x among them) accept in ways that left a download waiting for its body.
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    this.io = vertx.createSharedWorkerExecutor("refit-fetch-artifacts", 2);
    this.clock = clock;
    this.step = step.apply(this);
  }

  public Future<ArtifactResult> fetch(ArtifactRequest request) {
    return io.executeBlocking(() -> step.take(request), false);
  }

  private ArtifactResult offline(ArtifactRequest request) throws IOException {
    String key = request.url().toString();
    Path target = request.target();
    if (!Files.isRegularFile(target)) {
      throw new CacheMissException(List.of(key));
    }
    Optional<CacheEntry> entry = index.get(key);
    Digest digest = entry.map(CacheEntry::digest).orElse(null);
    if (request.checksum() != null) {
      digest = HashingOutputStream.hash(target, request.checksum().algorithm());
      requireChecksum(request, digest, "cached file " + target);
    }
    Instant lm = entry.map(CacheEntry::lastModified)
        .orElse(Files.getLastModifiedTime(target).toInstant());
    return new ArtifactResult(request.url(), target, FetchAction.CACHED, digest, lm, 0);
  }

  private ArtifactResult online(ArtifactRequest request) throws IOException, InterruptedException {
    String key = request.url().toString();
    Path target = request.target();
    Optional<CacheEntry> entry = index.get(key);
    boolean exists = Files.isRegularFile(target);
    HttpRequest.Builder get = HttpRequest.newBuilder(request.url()).timeout(TIMEOUT).GET();
    // Only validate a file we still have, and only one the expected checksum would accept.
    boolean trusted = exists && (request.checksum() == null || entry.isPresent()
        && entry.get().digest().equals(request.checksum()));
    if (trusted) {
      entry.map(CacheEntry::etag).ifPresent(etag -> get.header("If-None-Match", etag));
      Instant since = entry.map(CacheEntry::lastModified)
          .orElse(Files.getLastModifiedTime(target).toInstant());
      get.header("If-Modified-Since", HttpDate.format(since));
    }
    HttpResponse<InputStream> resp = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = resp.body()) {
      if (resp.statusCode() == 304 && trusted) {
        return notModified(request, entry);
      }
      if (resp.statusCode() != 200) {
        throw new FetchException("GET " + key + " answered HTTP " + resp.statusCode()
            + "; check the artifact URL and that the server is reachable");
      }
      return download(request, resp, body, entry.isPresent() || exists);
    }
  }

  private ArtifactResult notModified(ArtifactRequest request, Optional<CacheEntry> entry) throws IOException {
    Path target = request.target();
    if (entry.isPresent()) {
      CacheEntry e = entry.get();
      return new ArtifactResult(request.url(), target, FetchAction.CACHED, e.digest(), e.lastModified(), 0);
    }
    // Validated by mtime alone (a file placed by an older tool): index it now for next time.
    Digest digest = HashingOutputStream.hash(target, Digest.Algorithm.SHA256);
    Instant lm = Files.getLastModifiedTime(target).toInstant();
    index.put(new CacheEntry(request.url().toString(), digest, null, null, lm, target.toString(), clock.instant()));
    index.save();
    return new ArtifactResult(request.url(), target, FetchAction.CACHED, digest, lm, 0);
  }

  private ArtifactResult download(ArtifactRequest request, HttpResponse<InputStream> resp, InputStream body,
      boolean replacing) throws IOException {
    Path target = request.target().toAbsolutePath();
    Digest.Algorithm alg = request.checksum() != null ? request.checksum().algorithm() : Digest.Algorithm.SHA256;
    try (AtomicFile file = AtomicFile.of(target)) {
      HashingOutputStream out = new HashingOutputStream(file.output(), alg);
      try (out) {
        body.transferTo(out);
      }
      long bytes = out.count();
      long expected = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (expected >= 0 && expected != bytes) {
        throw new FetchException("GET " + request.url() + " ended after " + bytes + " of " + expected
            + " bytes; try again");
      }
      Digest digest = out.digest();
      requireChecksum(request, digest, "download of " + request.url());
      Optional<Instant> lm = HttpDate.parse(resp.headers().firstValue("Last-Modified").orElse(null));
      if (lm.isPresent()) {
        // Set before the rename, so the file never shows up with the wrong validator.
        Files.setLastModifiedTime(file.temp(), FileTime.from(lm.get()));
      }
      file.commit();
      index.put(new CacheEntry(request.url().toString(), digest,
          resp.headers().firstValue("Content-Type").orElse(null),
          resp.headers().firstValue("ETag").orElse(null), lm.orElse(null), request.target().toString(),
          clock.instant()));
      index.save();
      return new ArtifactResult(request.url(), request.target(),
          replacing ? FetchAction.UPDATED : FetchAction.FETCHED, digest, lm.orElse(null), bytes);
    }
  }

  private static void requireChecksum(ArtifactRequest request, Digest actual, String what) {
    if (request.checksum() != null && !request.checksum().equals(actual)) {
      throw new ChecksumMismatchException(what + " has " + actual + " but " + request.checksum()
          + " was expected; nothing was put in place at " + request.target()
          + " (fix the checksum in the settings, or the mirror)");
    }
  }
}
