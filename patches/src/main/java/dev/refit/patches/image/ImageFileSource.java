package dev.refit.patches.image;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.registry.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of an image's filesystem, built by reading its layers top-down and resolving
 * only the requested paths (and any asked for later), never unpacking the image. Layer reads go
 * through a {@link LayerCache} and its layer indexes. Thread-safe (methods synchronized); blocking.
 */
public final class ImageFileSource implements FileSource {
  private final String imageName;
  private final List<Descriptor> layers;
  private final LayerCache cache;
  private final LayerReader reader;
  private final List<Resolution> resolutions = new ArrayList<>();

  private ImageFileSource(String imageName, List<Descriptor> layers, LayerCache cache,
      LayerReader reader) {
    this.imageName = imageName;
    this.layers = List.copyOf(layers);
    this.cache = cache;
    this.reader = reader;
  }

  /**
   * Resolves {@code request} at once over {@code layers} (bottom layer first, as in a manifest).
   * Paths outside the request are resolved on first use, with another top-down pass.
   */
  public static ImageFileSource open(String imageName, List<Descriptor> layers,
      PathRequest request, LayerCache cache, LayerReader reader) {
    ImageFileSource source = new ImageFileSource(imageName, layers, cache, reader);
    source.resolve(request);
    return source;
  }

  /** Opens the view over an image loaded from a registry. */
  public static ImageFileSource open(RegistryImage image, PathRequest request, LayerCache cache) {
    return open(image.name(), image.layers(), request, cache, image.layerReader());
  }

  public String imageName() {
    return imageName;
  }

  /** How many layers the first resolution composed (fewer than all when it stopped early). */
  public synchronized int layersComposed() {
    return resolutions.isEmpty() ? 0 : resolutions.get(0).layersRead;
  }

  /** The most layers any resolution so far composed: how deep the view has read. */
  public synchronized int layersRead() {
    return resolutions.stream().mapToInt(r -> r.layersRead).max().orElse(0);
  }

  /**
   * Resolves more paths in one top-down pass (for example every file a patch touches), so that
   * later {@link #entry} and {@link #open} calls for them need no pass each.
   */
  public synchronized void prefetch(PathRequest request) {
    resolve(request);
  }

  /**
   * Resolves {@code request} in one top-down pass and returns every visible entry it wants (the
   * exact paths, their ancestors, listed children and glob matches), by normalised path. The
   * exact paths' contents are then readable through {@link #open} without another pass.
   */
  public synchronized Map<String, FileEntry> resolveAll(PathRequest request) {
    return Map.copyOf(resolve(request).visible);
  }

  @Override
  public synchronized Optional<FileEntry> entry(String path) {
    String p = PathSafety.normalise(path);
    if (p.isEmpty()) {
      return Optional.of(FileEntry.directory("", 0755, 0, 0));
    }
    return Optional.ofNullable(answering(p, PathRequest.of(List.of(p))).visible.get(p));
  }

  @Override
  public synchronized InputStream open(String path) throws IOException {
    String p = PathSafety.normalise(path);
    Resolution r = withContent(p);
    FileEntry e = r.visible.get(p);
    if (e == null) {
      throw new NoSuchFileException(p, null, "not in image " + imageName);
    }
    if (e.type() == EntryType.HARDLINK) {
      return open(e.linkTarget());
    }
    Path content = r.contents.get(p);
    if (!e.isFile() || content == null) {
      throw new IOException(p + " in image " + imageName + " is a " + e.type()
          + ", not a regular file");
    }
    return Files.newInputStream(content);
  }

  @Override
  public synchronized List<FileEntry> list(String dirPath) {
    String dir = PathSafety.normaliseDir(dirPath);
    Resolution r = null;
    for (Resolution candidate : resolutions) {
      if (candidate.request.listDirs().contains(dir)) {
        r = candidate;
        break;
      }
    }
    if (r == null) {
      r = resolve(PathRequest.empty().withListDirs(List.of(dir)));
    }
    FileEntry self = r.visible.get(dir);
    // Layers may omit parent directory headers, so a missing entry with children still lists.
    if (self != null && !self.isDirectory()) {
      return List.of();
    }
    return r.visible.values().stream()
        .filter(e -> !e.path().equals(dir) && PathSafety.parent(e.path()).equals(dir))
        .sorted(Comparator.comparing(FileEntry::name))
        .toList();
  }

  private Resolution answering(String path, PathRequest fallback) {
    for (Resolution r : resolutions) {
      if (r.request.answersEntry(path)) {
        return r;
      }
    }
    return resolve(fallback);
  }

  /** A resolution holding the content of {@code path} if it is a file (exact paths only). */
  private Resolution withContent(String path) {
    for (Resolution r : resolutions) {
      if (r.request.paths().contains(path)) {
        return r;
      }
    }
    return resolve(PathRequest.of(List.of(path)));
  }

  private Resolution resolve(PathRequest request) {
    Resolution r = Resolution.compose(layers, request, cache, reader, imageName);
    resolutions.add(r);
    return r;
  }
}
