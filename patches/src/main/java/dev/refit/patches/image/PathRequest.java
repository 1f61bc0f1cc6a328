package dev.refit.patches.image;

import dev.refit.patches.fs.PathSafety;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The paths an image view must resolve: exact paths (entry and, for files, content), directories
 * to list, and globs whose matching entries are wanted. Globs are the JDK's
 * ({@link FileSystem#getPathMatcher} "glob:" syntax): {@code *} and {@code ?} within one path
 * component, {@code **} across components, {@code [abc]} and {@code {a,b}}.
 * Only a request of exact paths can stop before the bottom layer. Immutable and thread-safe.
 */
public final class PathRequest {
  private final Set<String> paths;
  private final Set<String> listDirs;
  private final Set<String> globs;
  /** Every proper ancestor of a path or listed directory: wanted too (see {@link #wants}). */
  private final Set<String> ancestors;
  private final List<Glob> compiled;

  public PathRequest(Set<String> paths, Set<String> listDirs, Set<String> globs) {
    this.paths = normalised(paths);
    this.listDirs = normalised(listDirs);
    this.globs = Set.copyOf(new TreeSet<>(globs));
    Set<String> up = new HashSet<>();
    for (Set<String> set : List.of(this.paths, this.listDirs)) {
      for (String p : set) {
        for (String a = PathSafety.parent(p); !a.isEmpty() && up.add(a); a = PathSafety.parent(a)) {
          // each ancestor once; a shared prefix stops the walk
        }
      }
    }
    this.ancestors = Set.copyOf(up);
    this.compiled = this.globs.stream().map(PathRequest::compile).toList();
  }

  /** Exact paths: their entries, and for files their content. */
  public Set<String> paths() {
    return paths;
  }

  /** Directories whose children are listed. */
  public Set<String> listDirs() {
    return listDirs;
  }

  /** Globs whose matching entries are wanted. */
  public Set<String> globs() {
    return globs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathRequest r && paths.equals(r.paths) && listDirs.equals(r.listDirs)
        && globs.equals(r.globs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(paths, listDirs, globs);
  }

  @Override
  public String toString() {
    return "PathRequest[paths=" + paths + ", listDirs=" + listDirs + ", globs=" + globs + "]";
  }

  public static PathRequest of(Collection<String> paths) {
    return new PathRequest(Set.copyOf(paths), Set.of(), Set.of());
  }

  public static PathRequest empty() {
    return new PathRequest(Set.of(), Set.of(), Set.of());
  }

  public PathRequest withListDirs(Collection<String> more) {
    return union(new PathRequest(Set.of(), Set.copyOf(more), Set.of()));
  }

  public PathRequest withGlobs(Collection<String> more) {
    return union(new PathRequest(Set.of(), Set.of(), Set.copyOf(more)));
  }

  public PathRequest union(PathRequest other) {
    return new PathRequest(merge(paths, other.paths), merge(listDirs, other.listDirs),
        merge(globs, other.globs));
  }

  /** Whether everything {@code other} asks for is also asked for here. */
  public boolean covers(PathRequest other) {
    return paths.containsAll(other.paths) && listDirs.containsAll(other.listDirs)
        && globs.containsAll(other.globs);
  }

  /** Whether an image view built for this request can answer {@code entry(path)}. */
  public boolean answersEntry(String path) {
    return paths.contains(path) || listDirs.contains(path)
        || listDirs.contains(PathSafety.parent(path)) || matchesGlob(path);
  }

  /** Whether a layer scan must record the entry at {@code path}. */
  boolean wants(String path) {
    // Ancestors matter too: a file replacing a directory hides everything below it.
    return answersEntry(path) || ancestors.contains(path);
  }

  boolean matchesGlob(String path) {
    for (Glob glob : compiled) {
      // The literal prefix check keeps the matcher off most entries of a large layer.
      if (path.startsWith(glob.prefix()) && glob.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** Whether resolution can stop early: only exact paths are asked for. */
  boolean exactOnly() {
    return listDirs.isEmpty() && globs.isEmpty();
  }

  private record Glob(String prefix, PathMatcher matcher) {
    boolean matches(String path) {
      try {
        return matcher.matches(Path.of(path));
      } catch (InvalidPathException e) {
        return false; // a name this platform cannot hold (a NUL byte) matches no glob
      }
    }
  }

  private static final Map<String, Glob> COMPILED = new ConcurrentHashMap<>();

  private static Glob compile(String glob) {
    return COMPILED.computeIfAbsent(glob, g -> {
      int special = 0;
      while (special < g.length() && "*?[{\\".indexOf(g.charAt(special)) < 0) {
        special++;
      }
      return new Glob(g.substring(0, special), FileSystems.getDefault().getPathMatcher("glob:" + g));
    });
  }

  private static Set<String> normalised(Set<String> in) {
    TreeSet<String> out = new TreeSet<>();
    for (String s : in) {
      out.add(PathSafety.normaliseDir(s));
    }
    return Set.copyOf(out);
  }

  private static Set<String> merge(Set<String> a, Set<String> b) {
    TreeSet<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }
}
