package dev.refit.pipeline.fetch;

import dev.refit.patches.source.GerritClient;
import dev.refit.patches.source.PatchFetcher;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything that reaches outside the machine, chosen once per run: upstream registry clients,
 * the image fetcher, image discovery, the patch fetcher and the artifact fetcher. This is the
 * only place that knows about {@code --no-fetch}: offline it hands out collaborators that cannot
 * connect (the upstream client factory refuses every registry with the exit-3
 * {@link CacheMissException}, images and catalogs come from the {@link CacheIndex}, Gerrit
 * changes from the patch cache, artifacts from disk), and nothing below it asks whether the run
 * is offline. {@code plan}, {@code prepare} and later commands share it. Thread-safe.
 */
public final class UpstreamAccess {
  /** How long one blocking upstream request (a catalog page, a manifest) may take by default. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final UpstreamClients upstreams;
  private final Choice choice;

  /** The collaborators that differ between online and offline, as one choice. */
  private interface Choice {
    ImageFetcher images(CacheIndex index, RegistryClient local);

    ImageDiscovery discovery(CacheIndex index);

    PatchFetcher patches(RefitConfig config);

    ArtifactFetcher artifacts(CacheIndex index);
  }

  /** Connects: upstream registries, Gerrit and artifact servers are asked. */
  private record Online(Vertx vertx, UpstreamClients upstreams, Path cacheDir, Duration timeout)
      implements Choice {
    @Override
    public ImageFetcher images(CacheIndex index, RegistryClient local) {
      return new UpstreamFetcher(vertx, index, local, upstreams::client);
    }

    @Override
    public ImageDiscovery discovery(CacheIndex index) {
      return ImageDiscovery.upstream(index, upstreams, timeout);
    }

    @Override
    public PatchFetcher patches(RefitConfig config) {
      return new PatchFetcher(GerritClient.of(config.gerritUrl()), cacheDir.resolve("patches"),
          config.maxPatchBytes());
    }

    @Override
    public ArtifactFetcher artifacts(CacheIndex index) {
      return ArtifactFetcher.online(vertx, index, Clock.systemUTC());
    }
  }

  /** Never connects: everything comes from the cache directory and the local registry. */
  private record Offline(Vertx vertx, Path cacheDir) implements Choice {
    @Override
    public ImageFetcher images(CacheIndex index, RegistryClient local) {
      return new CachedImages(index, local);
    }

    @Override
    public ImageDiscovery discovery(CacheIndex index) {
      return ImageDiscovery.recorded(index);
    }

    @Override
    public PatchFetcher patches(RefitConfig config) {
      return PatchFetcher.offline(cacheDir.resolve("patches"), config.maxPatchBytes());
    }

    @Override
    public ArtifactFetcher artifacts(CacheIndex index) {
      return ArtifactFetcher.cacheOnly(vertx, index, Clock.systemUTC());
    }
  }

  private UpstreamAccess(UpstreamClients upstreams, Choice choice) {
    this.upstreams = upstreams;
    this.choice = choice;
  }

  /**
   * The run's upstream access.
   *
   * @param noFetch strict offline: no connection to any upstream registry, Gerrit or server
   * @param timeout how long one blocking upstream request may take
   */
  public static UpstreamAccess of(Vertx vertx, ClientOptions options, Path cacheDir, boolean noFetch,
      Duration timeout) {
    if (noFetch) {
      return new UpstreamAccess(UpstreamClients.refusing(), new Offline(vertx, cacheDir));
    }
    UpstreamClients clients = UpstreamClients.of(vertx, options);
    return new UpstreamAccess(clients, new Online(vertx, clients, cacheDir, timeout));
  }

  /** As {@link #of(Vertx, ClientOptions, Path, boolean, Duration)} with {@link #REQUEST_TIMEOUT}. */
  public static UpstreamAccess of(Vertx vertx, ClientOptions options, Path cacheDir, boolean noFetch) {
    return of(vertx, options, cacheDir, noFetch, REQUEST_TIMEOUT);
  }

  /** Upstream registry clients; offline every one refuses with exit 3. */
  public UpstreamClients upstreams() {
    return upstreams;
  }

  /** Brings upstream images into {@code local} (online), or finds them there (offline). */
  public ImageFetcher images(CacheIndex index, RegistryClient local) {
    return choice.images(index, local);
  }

  /** Which service images the run works on. */
  public ImageDiscovery discovery(CacheIndex index) {
    return choice.discovery(index);
  }

  /** Turns the settings' patch entries into files (Gerrit online, the patch cache offline). */
  public PatchFetcher patches(RefitConfig config) {
    return choice.patches(config);
  }

  /** Downloads file artifacts (online), or finds them on disk (offline). */
  public ArtifactFetcher artifacts(CacheIndex index) {
    return choice.artifacts(index);
  }

  public Future<Void> close() {
    return upstreams.close();
  }
}
