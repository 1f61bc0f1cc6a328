package dev.refit.pipeline.diff;

import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.image.ImageFileSource;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerTouches;
import dev.refit.patches.image.PathRequest;
import dev.refit.registry.oci.Descriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds the paths whose final state may differ between two images, and resolves them on both:
 * layers below the longest common prefix of the two layer lists give both images the same lower
 * state, so only the paths the layers above it touch are looked up, top-down through each
 * image's layer index (the lower layers are read only until each path is settled). A directory
 * that one side hides wholesale (a whiteout, an opaque directory, a non-directory in its place)
 * has its subtree listed on both sides. Blocking; not thread-safe (one per diff).
 */
final class ChangedPaths {
  /** Visible entries, by normalised path, and the view that reads their content. */
  record Side(ImageFileSource files, Map<String, FileEntry> visible) {}

  private final DiffImage a;
  private final DiffImage b;
  private final LayerCache cache;
  private final Predicate<String> wanted;
  private final int shared;

  /** @param wanted which normalised paths the diff reports; others are not read */
  ChangedPaths(DiffImage a, DiffImage b, LayerCache cache, Predicate<String> wanted) {
    this.a = a;
    this.b = b;
    this.cache = cache;
    this.wanted = wanted;
    this.shared = commonPrefix(a.layers(), b.layers());
  }

  /** Layers at the bottom of both lists with the same digests, in the same order. */
  static int commonPrefix(List<Descriptor> a, List<Descriptor> b) {
    int k = 0;
    while (k < a.size() && k < b.size() && a.get(k).digest().equals(b.get(k).digest())) {
      k++;
    }
    return k;
  }

  /** The candidate paths (normalised, sorted) and each side's entries for them. */
  record Result(Set<String> paths, Side a, Side b, int layersRead) {}

  Result resolve() {
    Set<String> touched = new HashSet<>();
    Set<String> hiders = new HashSet<>();
    collect(a, touched, hiders);
    collect(b, touched, hiders);
    touched.removeIf(wanted.negate());
    // Whiteouts and opaque directories are looked up even when not reported: what they hide may be.
    Set<String> exact = new HashSet<>(touched);
    exact.addAll(hiders);
    exact.remove("");
    ImageFileSource filesA = ImageFileSource.open(a.reference(), a.layers(), PathRequest.empty(),
        cache, a.reader());
    ImageFileSource filesB = ImageFileSource.open(b.reference(), b.layers(), PathRequest.empty(),
        cache, b.reader());
    Map<String, FileEntry> visA = new HashMap<>(filesA.resolveAll(PathRequest.of(exact)));
    Map<String, FileEntry> visB = new HashMap<>(filesB.resolveAll(PathRequest.of(exact)));
    Set<String> subtrees = new HashSet<>();
    for (String p : hiders) {
      // Only a hidden directory hides more than itself.
      if (p.isEmpty() || isDirectory(visA.get(p)) || isDirectory(visB.get(p))) {
        subtrees.add(p);
      }
    }
    for (String p : touched) {
      FileEntry ea = visA.get(p);
      FileEntry eb = visB.get(p);
      if (ea != null && eb != null && ea.isDirectory() != eb.isDirectory()) {
        subtrees.add(p); // a non-directory over a directory hides everything below it
      }
    }
    Set<String> paths = new TreeSet<>(touched);
    if (!subtrees.isEmpty()) {
      List<String> globs = subtrees.stream().map(d -> d.isEmpty() ? "**" : escape(d) + "/**")
          .toList();
      PathRequest listing = PathRequest.empty().withGlobs(globs);
      Set<String> below = new HashSet<>(filesA.resolveAll(listing).keySet());
      below.addAll(filesB.resolveAll(listing).keySet());
      below.removeAll(touched);
      if (!below.isEmpty()) {
        // One more exact pass, so their contents can be read.
        visA.putAll(filesA.resolveAll(PathRequest.of(below)));
        visB.putAll(filesB.resolveAll(PathRequest.of(below)));
        paths.addAll(below);
      }
    }
    paths.remove("");
    int read = Math.max(a.layers().size() - shared, filesA.layersRead())
        + Math.max(b.layers().size() - shared, filesB.layersRead());
    return new Result(paths, new Side(filesA, visA), new Side(filesB, visB), read);
  }

  private static boolean isDirectory(FileEntry e) {
    return e != null && e.isDirectory();
  }

  /** Adds what the layers above the common prefix hold, and their whiteouts and opaque dirs. */
  private void collect(DiffImage image, Set<String> touched, Set<String> hiders) {
    List<Descriptor> layers = image.layers();
    for (int i = shared; i < layers.size(); i++) {
      LayerTouches t = cache.touches(layers.get(i), image.reader(), image.reference());
      touched.addAll(t.entries());
      touched.addAll(t.whiteouts());
      touched.addAll(t.opaqueDirs());
      hiders.addAll(t.whiteouts());
      hiders.addAll(t.opaqueDirs());
    }
    touched.remove("");
  }

  /** A path as a literal in JDK glob syntax. */
  static String escape(String path) {
    StringBuilder out = new StringBuilder(path.length() + 8);
    for (char c : path.toCharArray()) {
      if ("*?[]{}\\,".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
