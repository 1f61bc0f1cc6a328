package dev.refit.patches.image;

import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.RegistryClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link ImageAccess} over images in one registry, each loaded once, with layer scans shared
 * through one {@link LayerCache}. Blocking; thread-safe.
 */
public final class RegistryImageAccess implements ImageAccess {
  /** Where a service image lives: its repository and tag or digest. */
  public record Location(String repository, String reference) {}

  private final Vertx vertx;
  private final RegistryClient client;
  private final Function<String, Location> locate;
  private final LayerCache cache;
  private final Path tmpDir;
  private final Duration timeout;
  private final Map<String, RegistryImage> loaded = new ConcurrentHashMap<>();

  public RegistryImageAccess(Vertx vertx, RegistryClient client, Function<String, Location> locate,
      LayerCache cache, Path tmpDir, Duration timeout) {
    this.vertx = vertx;
    this.client = client;
    this.locate = locate;
    this.cache = cache;
    this.tmpDir = tmpDir;
    this.timeout = timeout;
  }

  public RegistryImage image(String service) {
    return loaded.computeIfAbsent(service, s -> {
      Location l = locate.apply(s);
      return RegistryImage.load(vertx, client, s, l.repository(), l.reference(), tmpDir, timeout);
    });
  }

  @Override
  public Optional<Instant> buildTime(String image) {
    return image(image).buildTime();
  }

  @Override
  public FileSource files(String image, PathRequest request) {
    return ImageFileSource.open(image(image), request, cache);
  }
}
