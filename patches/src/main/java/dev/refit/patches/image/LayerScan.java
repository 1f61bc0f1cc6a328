package dev.refit.patches.image;

import dev.refit.patches.fs.FileEntry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What one layer holds for a request: the wanted entries (with extracted content for requested
 * files), and every whiteout and opaque-directory marker in it (OCI image-spec layer.md,
 * "Whiteouts"). Independent of the image the layer is used in. Immutable and thread-safe.
 *
 * @param request the request the layer was read for
 * @param entries wanted entries by normalised path
 * @param contents extracted content of requested FILE entries, by path
 * @param whiteouts paths hidden in lower layers by {@code .wh.<name>} markers
 * @param opaqueDirs directories whose lower-layer children are hidden ({@code .wh..wh..opq})
 */
record LayerScan(PathRequest request, Map<String, FileEntry> entries, Map<String, Path> contents,
    Set<String> whiteouts, Set<String> opaqueDirs) {
  LayerScan {
    entries = Map.copyOf(entries);
    contents = Map.copyOf(contents);
    whiteouts = Set.copyOf(whiteouts);
    opaqueDirs = Set.copyOf(opaqueDirs);
  }
}
