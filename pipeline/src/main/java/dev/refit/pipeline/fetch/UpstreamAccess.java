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
 * the image fetcher, image discovery and the patch fetcher. This is the only place that knows
 * about {@code --no-fetch}: offline it hands out collaborators that cannot connect (the upstream
 * client factory refuses every registry with the exit-3 {@link CacheMissException}, images and
 * catalogs come from the {@link CacheIndex}, Gerrit changes from the patch cache), and nothing
 * below it asks whether the run is offline. {@code plan}, {@code prepare} and later commands
 * share it. Thread-safe.
 */
public final class UpstreamAccess {
  /** How long one blocking upstream request (a catalog page, a manifest) may take by default. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final UpstreamClients upstreams;
  private final Path cacheDir;
  private final Duration timeout;
  private final Choice choice;

  /** The collaborators that differ between online and offline, as one choice. */
  private interface Choice {
    ImageFetcher images(UpstreamAccess access, CacheIndex index, RegistryClient local);

    ImageDiscovery discovery(UpstreamAccess access, CacheIndex index);

    PatchFetcher patches(UpstreamAccess access, RefitConfig config);

    ArtifactFetcher artifacts(UpstreamAccess access, CacheIndex index);
  }

  private static final Choice ONLINE = new Choice() {
    @Override
    public ImageFetcher images(UpstreamAccess a, CacheIndex index, RegistryClient local) {
      return new UpstreamFetcher(a.vertx, index, local, a.upstreams::client);
    }

    @Override
    public ImageDiscovery discovery(UpstreamAccess a, CacheIndex index) {
      return ImageDiscovery.upstream(index, a.upstreams, a.timeout);
    }

    @Override
    public PatchFetcher patches(UpstreamAccess a, RefitConfig config) {
      return new PatchFetcher(GerritClient.of(config.gerritUrl()), a.cacheDir.resolve("patches"),
          config.maxPatchBytes());
    }

    @Override
    public ArtifactFetcher artifacts(UpstreamAccess a, CacheIndex index) {
      return ArtifactFetcher.online(a.vertx, index, Clock.systemUTC());
    }
  };

  private static final Choice OFFLINE = new Choice() {
    @Override
    public ImageFetcher images(UpstreamAccess a, CacheIndex index, RegistryClient local) {
      return new CachedImages(index, local);
    }

    @Override
    public ImageDiscovery discovery(UpstreamAccess a, CacheIndex index) {
      return ImageDiscovery.recorded(index);
    }

    @Override
    public PatchFetcher patches(UpstreamAccess a, RefitConfig config) {
      return PatchFetcher.offline(a.cacheDir.resolve("patches"), config.maxPatchBytes());
    }

    @Override
    public ArtifactFetcher artifacts(UpstreamAccess a, CacheIndex index) {
      return ArtifactFetcher.cacheOnly(a.vertx, index, Clock.systemUTC());
    }
  };

  private UpstreamAccess(Vertx vertx, UpstreamClients upstreams, Path cacheDir, Duration timeout,
      Choice choice) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.cacheDir = cacheDir;
    this.timeout = timeout;
    this.choice = choice;
  }

  /**
   * The run's upstream access.
   *
   * @param noFetch strict offline: no connection to any upstream registry or Gerrit
   * @param timeout how long one blocking upstream request may take
   */
  public static UpstreamAccess of(Vertx vertx, ClientOptions options, Path cacheDir, boolean noFetch,
      Duration timeout) {
    return noFetch
        ? new UpstreamAccess(vertx, UpstreamClients.refusing(), cacheDir, timeout, OFFLINE)
        : new UpstreamAccess(vertx, UpstreamClients.of(vertx, options), cacheDir, timeout, ONLINE);
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
    return choice.images(this, index, local);
  }

  /** Which service images the run works on. */
  public ImageDiscovery discovery(CacheIndex index) {
    return choice.discovery(this, index);
  }

  /** Turns the settings' patch entries into files (Gerrit online, the patch cache offline). */
  public PatchFetcher patches(RefitConfig config) {
    return choice.patches(this, config);
  }

  /** Downloads file artifacts (online), or finds them on disk (offline). */
  public ArtifactFetcher artifacts(CacheIndex index) {
    return choice.artifacts(this, index);
  }

  public Future<Void> close() {
    return upstreams.close();
  }
}
