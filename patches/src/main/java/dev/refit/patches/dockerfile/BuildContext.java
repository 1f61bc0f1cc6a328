package dev.refit.patches.dockerfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Docker build context of one image, {@code containers/<service>/} in the archive: the
 * Dockerfile text and the files it COPYs or ADDs, sorted by path. Immutable and thread-safe.
 */
public record BuildContext(String service, String dockerfile, List<ContextFile> files) {

  /** The Dockerfile's name inside the context. */
  public static final String DOCKERFILE = "Dockerfile";

  public BuildContext {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(dockerfile, "dockerfile");
    List<ContextFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(ContextFile::path));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new DockerfileException("image " + service + ": two context files at "
            + sorted.get(i).path() + "; each path may appear once");
      }
    }
    Set<String> paths = new HashSet<>();
    sorted.forEach(f -> paths.add(f.path()));
    for (ContextFile f : sorted) {
      if (f.path().equals(DOCKERFILE)) {
        throw new DockerfileException("image " + service + ": a context file may not be named "
            + DOCKERFILE);
      }
      // A file cannot also be a directory of another file (tar would hold both).
      for (int slash = f.path().indexOf('/'); slash >= 0; slash = f.path().indexOf('/', slash + 1)) {
        if (paths.contains(f.path().substring(0, slash))) {
          throw new DockerfileException("image " + service + ": " + f.path().substring(0, slash)
              + " is both a file and the directory of " + f.path());
        }
      }
    }
    files = List.copyOf(sorted);
  }
}
