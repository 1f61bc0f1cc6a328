package dev.refit.patches.image;

import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.BlockingRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link ImageAccess} over images in registries, each loaded once from where {@code locate}
 * says it is, with layer reads shared through one {@link LayerCache}. Blocking; thread-safe.
 */
public final class RegistryImageAccess implements ImageAccess {
  /**
   * Where a service image lives: its registry, repository and tag or digest, and the registry's
   * filesystem store when this process serves it (its blobs are then read in place).
   */
  public record Location(BlockingRegistry registry, String repository, String reference,
      Optional<Path> store) {
    public Location(BlockingRegistry registry, String repository, String reference) {
      this(registry, repository, reference, Optional.empty());
    }
  }

  private final Function<String, Location> locate;
  private final LayerCache cache;
  private final Path tmpDir;
  private final Map<String, RegistryImage> loaded = new ConcurrentHashMap<>();

  public RegistryImageAccess(Function<String, Location> locate, LayerCache cache, Path tmpDir) {
    this.locate = locate;
    this.cache = cache;
    this.tmpDir = tmpDir;
  }

  public RegistryImage image(String service) {
    return loaded.computeIfAbsent(service, s -> {
      Location l = locate.apply(s);
      RegistryImage image = RegistryImage.load(l.registry(), s, l.repository(), l.reference(), tmpDir);
      return l.store().map(image::withStore).orElse(image);
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
