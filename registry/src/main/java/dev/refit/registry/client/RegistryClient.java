package dev.refit.registry.client;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The OCI distribution API of one registry host ({@code host[:port]}): manifests, blobs, tags and
 * the catalog, with authentication, retries and redirects handled underneath. Thread-safe; every
 * method returns at once with a Future, and no method blocks an event loop.
 *
 * <p>Endpoints per the OCI distribution-spec, "Endpoints" table.
 */
public final class RegistryClient {
  static final int PAGE_SIZE = 1000;
  static final int MAX_CONNECTIONS = 16;

  private final String registry;
  private final String baseUrl;
  private final HttpClientAgent http;
  private final WorkerExecutor io;
  private final ManifestClient manifests;
  private final BlobPuller puller;
  private final BlobPusher pusher;
  private final RegistryHttp transport;
  private final Context context;

  private RegistryClient(Vertx vertx, String registry, ClientOptions options) {
    this.registry = registry;
    // Calls hop onto an event-loop context (see onContext); a client built on a worker thread
    // must not capture that worker context.
    Context here = vertx.getOrCreateContext();
    this.context = here.isEventLoopContext() ? here : ((VertxInternal) vertx).createEventLoopContext();
    this.baseUrl = (options.usesPlainHttp(registry) ? "http://" : "https://") + apiHost(registry);
    // A registry-to-registry copy holds a paused source GET while its upload runs, so one
    // transfer can need two connections to the same host: keep the pool well above 2 x parallelism.
    this.http = vertx.createHttpClient(httpOptions(options), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    this.io = vertx.createSharedWorkerExecutor("refit-client-io", 2);
    Future<Optional<Credentials>> credentials = options.credentials() != null
        ? Future.succeededFuture(Optional.of(options.credentials()))
        : io.executeBlocking(() -> DockerConfig.load(options.dockerConfigDir()).credentialsFor(registry), false);
    Authenticator auth = new Authenticator(http, registry, () -> credentials, options.requestTimeout(),
        Clock.systemUTC());
    this.transport = new RegistryHttp(vertx, http, auth, options);
    this.manifests = new ManifestClient(transport, baseUrl);
    this.puller = new BlobPuller(vertx, transport, baseUrl, options);
    this.pusher = new BlobPusher(vertx, transport, baseUrl, options);
  }

  /** A client for {@code registry}, e.g. {@code ghcr.io}, {@code 127.0.0.1:5000} or {@code docker.io}. */
  public static RegistryClient create(Vertx vertx, String registry, ClientOptions options) {
    return new RegistryClient(vertx, registry, options);
  }

  public String registry() {
    return registry;
  }

  /** e.g. {@code https://ghcr.io}; {@code /v2/...} paths are appended to it. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code GET /v2/}: succeeds when the registry speaks the API and accepts our credentials. */
  public Future<Void> ping() {
    return onContext(() -> transport.send(HttpCall.of(HttpMethod.GET, baseUrl + "/v2/", List.of(), 200))
        .compose(RegistryHttp::discard));
  }

  public Future<RawManifest> getManifest(String repo, String reference) {
    return onContext(() -> manifests.get(repo, reference));
  }

  /** The manifest for {@code platform}: an index is resolved to its matching child (fetched by digest). */
  public Future<RawManifest> getManifest(String repo, String reference, Platform platform) {
    return onContext(() -> manifests.get(repo, reference, platform));
  }

  public Future<Optional<Descriptor>> headManifest(String repo, String reference) {
    return onContext(() -> manifests.head(repo, reference));
  }

  /**
   * A HEAD that also reports the registry's {@code ETag} and {@code Last-Modified}; with a
   * non-null {@code ifNoneMatch} (an earlier ETag) an unchanged manifest may answer 304
   * ({@link ManifestHead#notModified()}). Empty when the registry has no such manifest.
   */
  public Future<Optional<ManifestHead>> headManifest(String repo, String reference, String ifNoneMatch) {
    return onContext(() -> manifests.head(repo, reference, ifNoneMatch));
  }

  /**
   * The manifests whose {@code subject} is {@code subject}, from the OCI 1.1 referrers API;
   * empty when the registry does not offer the API (it answered 404).
   */
  public Future<Optional<List<Descriptor>>> referrers(String repo, Digest subject) {
    return onContext(() -> manifests.referrers(repo, subject));
  }

  /** Pushes exact bytes under a tag or digest; completes with the manifest's digest. */
  public Future<Digest> putManifest(String repo, String reference, RawManifest manifest) {
    return onContext(() -> manifests.put(repo, reference, manifest));
  }

  /** The blob's size when {@code repo} has it, else empty. */
  public Future<Optional<Long>> headBlob(String repo, Digest digest) {
    return onContext(() -> pusher.exists(repo, digest).map(Optional::ofNullable));
  }

  /** Downloads a blob to {@code target}, verified before it appears there; completes with its size. */
  public Future<Long> pullBlob(String repo, Digest digest, Path target) {
    return onContext(() -> puller.pull(repo, digest, target));
  }

  /**
   * Streams a blob into {@code out}, verifying the digest on the way; {@code out} is ended only
   * when it matched, so a sink that commits on end never accepts unverified bytes.
   */
  public Future<Long> pullBlob(String repo, Digest digest, WriteStream<Buffer> out) {
    return onContext(() -> puller.pull(repo, digest, out));
  }

  /**
   * A small blob's verified bytes, e.g. an image config; fails rather than buffer more than
   * {@code maxBytes}. Layers go through {@link #pullBlob} instead.
   */
  public Future<Buffer> readBlob(String repo, Digest digest, long maxBytes) {
    return onContext(() -> puller.read(repo, digest, maxBytes));
  }

  /**
   * The blob's bytes as a paused stream: a body that breaks is resumed with a Range request, and
   * the stream fails instead of ending when the bytes do not match {@code digest}.
   */
  public Future<ReadStream<Buffer>> openBlob(String repo, Digest digest) {
    return onContext(() -> puller.stream(repo, digest));
  }

  /** Uploads a blob from a file (retryable, chunked when configured), mounting from {@code mountFrom} if given. */
  public Future<PushOutcome> pushBlob(String repo, Descriptor blob, Path file, String mountFrom) {
    return onContext(() ->
        pusher.push(repo, blob, new RequestBody.FileRange(file, 0, blob.size()), mountFrom));
  }

  /** Uploads a blob from a one-shot stream of exactly {@code blob.size()} bytes (monolithic, not retried). */
  public Future<PushOutcome> pushBlob(String repo, Descriptor blob, ReadStream<Buffer> stream) {
    return onContext(() -> pusher.push(repo, blob, new RequestBody.Stream(stream, blob.size()), null));
  }

  /** Cross-repository mount only; false when the registry declined (the session is cancelled). */
  public Future<Boolean> mountBlob(String repo, Digest digest, String fromRepo) {
    return onContext(() -> pusher.mount(repo, digest, fromRepo));
  }

  /** All tags of {@code repo}, following {@code Link} pagination. */
  public Future<List<String>> tags(String repo) {
    return onContext(() -> collect(baseUrl + "/v2/" + repo + "/tags/list?n=" + PAGE_SIZE, "tags",
        Scopes.pull(repo), new ArrayList<>()));
  }

  /** All repository names, following {@code Link} pagination. */
  public Future<List<String>> catalog() {
    return onContext(() -> collect(baseUrl + "/v2/_catalog?n=" + PAGE_SIZE, "repositories",
        Scopes.catalog(), new ArrayList<>()));
  }

  public Future<Void> close() {
    io.close();
    return http.close();
  }

  private Future<List<String>> collect(String url, String field, String scope, List<String> acc) {
    HttpCall get = HttpCall.of(HttpMethod.GET, url, List.of(scope), 200);
    return transport.send(get).compose(resp -> {
      String link = resp.getHeader("Link");
      return RegistryHttp.readLimited(resp, 16L * 1024 * 1024, get).compose(body -> {
        JsonArray items = new JsonObject(body).getJsonArray(field);
        if (items != null) {
          items.forEach(i -> acc.add(String.valueOf(i)));
        }
        Optional<String> next = LinkHeader.next(link);
        return next.isPresent()
            ? collect(RegistryHttp.resolve(url, next.get()), field, scope, acc)
            : Future.succeededFuture(List.copyOf(acc));
      });
    });
  }

  /** Docker Hub's API lives on registry-1.docker.io, not on the docker.io name in references. */
  static String apiHost(String registry) {
    return registry.equals("docker.io") || registry.equals("index.docker.io") ? "registry-1.docker.io" : registry;
  }

  private static HttpClientOptions httpOptions(ClientOptions options) {
    HttpClientOptions o = new HttpClientOptions()
        .setVerifyHost(!options.insecure())
        .setTrustAll(options.insecure())
        .setConnectTimeout((int) options.requestTimeout().toMillis())
        .setKeepAlive(true);
    if (options.caPem() != null) {
      o.setTrustOptions(new PemTrustOptions().addCertPath(options.caPem().toString()));
    }
    return o;
  }

  /**
   * Starts {@code call} on an event-loop thread. On an event loop it runs in place; from any
   * other thread (a worker pool, whose current context is still an event-loop context, or a plain
   * thread) it hops onto the client's context first, so every exchange and every handler of it
   * runs on one event loop and a small response cannot end before its body handler is attached.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> call) {
    if (Context.isOnEventLoopThread()) {
      return call.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        call.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
