package dev.refit.patches.image;

import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.PathSafety;
import dev.refit.registry.oci.Descriptor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The visible state of the requested paths of one image, composed from layer scans top-down as
 * OCI image-spec layer.md describes ("Whiteouts": a marker hides only lower layers; an opaque
 * directory hides lower children; a non-directory hides everything below its path). Not
 * thread-safe; built once, then read-only.
 */
final class Resolution {
  final PathRequest request;
  final Map<String, FileEntry> visible = new HashMap<>();
  final Map<String, Path> contents = new HashMap<>();
  private final Set<String> hidden = new HashSet<>();
  private final Set<String> opaque = new HashSet<>();
  int layersRead;

  private Resolution(PathRequest request) {
    this.request = request;
  }

  /** Composes from the top layer down, stopping once every exact path is settled. */
  static Resolution compose(List<Descriptor> layers, PathRequest request, LayerCache cache,
      LayerReader reader, String imageName) {
    Resolution r = new Resolution(request);
    if (!request.exactOnly()) {
      // Every layer will be read: index the missing ones side by side first.
      cache.indexAll(layers, reader, imageName);
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      if (request.exactOnly() && r.settled()) {
        break;
      }
      LayerScan scan = cache.scan(layers.get(i), request, reader, imageName);
      r.layersRead++;
      r.apply(scan);
    }
    return r;
  }

  private void apply(LayerScan scan) {
    // Entries first: markers of this layer apply to lower layers only.
    scan.entries().keySet().stream().sorted().forEach(path -> {
      if (!visible.containsKey(path) && !hiddenBelowUpperLayers(path)
          && request.wants(path)) {
        visible.put(path, scan.entries().get(path));
        Path content = scan.contents().get(path);
        if (content != null) {
          contents.put(path, content);
        }
      }
    });
    hidden.addAll(scan.whiteouts());
    opaque.addAll(scan.opaqueDirs());
  }

  /** Whether an entry at {@code path} in the layer now being applied is hidden by upper layers. */
  boolean hiddenBelowUpperLayers(String path) {
    if (hidden.contains(path)) {
      return true;
    }
    for (String a = PathSafety.parent(path); ; a = PathSafety.parent(a)) {
      if (hidden.contains(a) || opaque.contains(a)) {
        return true;
      }
      FileEntry upper = visible.get(a);
      if (upper != null && !upper.isDirectory()) {
        return true;
      }
      if (a.isEmpty()) {
        return false;
      }
    }
  }

  /** Every exact path is either found or hidden from all lower layers. */
  private boolean settled() {
    for (String p : request.paths()) {
      if (!visible.containsKey(p) && !hiddenBelowUpperLayers(p)) {
        return false;
      }
    }
    return true;
  }
}
