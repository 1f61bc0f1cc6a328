package dev.refit.pipeline.rebuild;

import dev.refit.patches.fs.FileSource;
import dev.refit.patches.image.ImageFileSource;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.image.RegistryImage;
import dev.refit.registry.client.BlockingRegistry;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens a view of a rebuild's base filesystem, so the delta layer can give the parent directories
 * of changed files the base's own mode and owner. Implementations are blocking and thread-safe.
 *
 * <p>Why: an entry for a directory in an upper layer replaces that directory's metadata (OCI
 * image-spec layer.md, "Changesets"); jib writes every parent directory it needs, so without the
 * base's metadata {@code /var/lib/nova} (nova:nova 0750 in kolla images) would become
 * root:root 0755. The docker builder keeps the base's metadata, and builder equivalence needs
 * the same here.
 */
@FunctionalInterface
public interface BaseFiles {

  /** The base of {@code request}, resolved at least for {@code paths}. Blocking. */
  FileSource open(RebuildRequest request, Set<String> paths);

  /**
   * Reads the base from the local registry through the patch stage's layer cache (a layer the
   * patch stage already read is not read again). Blocking; never call on an event loop.
   */
  static BaseFiles fromRegistry(BlockingRegistry registry, LayerCache cache, Path tmpDir) {
    return (request, paths) ->
        ImageFileSource.open(
            RegistryImage.load(registry, request.service(), request.base().repository(),
                request.base().digest().toString(), tmpDir),
            PathRequest.of(paths),
            cache);
  }
}
