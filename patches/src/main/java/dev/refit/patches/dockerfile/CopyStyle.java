package dev.refit.patches.dockerfile;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The copy style: the pre-patched files are COPYed from {@code files/<path-inside-image>}, so the
 * build needs neither network nor a {@code patch} binary; deletions become one {@code RUN rm}, and
 * setuid/setgid files one {@code RUN chmod} per mode (see {@link #specialModes}); no other RUN.
 * Stateless and thread-safe.
 *
 * <p>Files are COPYed per (directory, uid, gid), several sources into one destination directory:
 * a single-file or into-directory COPY leaves existing parent directories alone, whereas
 * {@code COPY files/ /} would rewrite the mode and owner of every directory on the way (the
 * context does not know the image's directory metadata). Docker keeps each file's mode from its
 * tar entry; owners other than root are set with {@code --chown=uid:gid} (numeric, so no passwd
 * lookup inside the image).
 */
final class CopyStyle {

  /**
   * Every COPY is a layer and overlay2 stacks at most 128; beyond this many the daemonless
   * builder, which writes one layer, is the way.
   */
  static final int MAX_COPY_INSTRUCTIONS = 100;

  private record Group(String dir, int uid, int gid) {}

  private static final Comparator<Group> ORDER =
      Comparator.comparing(Group::dir).thenComparingInt(Group::uid).thenComparingInt(Group::gid);

  private CopyStyle() {}

  static StyleBody body(ImagePatches image) {
    String service = image.service();
    PatchResult result = image.result();
    if (result.isEmpty()) {
      throw new DockerfileException("image " + service + ": the patch result is empty (no changed"
          + " or deleted file); nothing to build, leave the image out");
    }
    Set<String> changedPaths = new HashSet<>();
    for (ChangedFile f : result.changed()) {
      checkPath(service, f.path());
      checkMetadata(service, f);
      if (!changedPaths.add(f.path())) {
        throw new DockerfileException("image " + service + ": the patch result changes " + f.path()
            + " twice; merge results with PatchResult.merge");
      }
    }
    for (String d : result.deleted()) {
      checkPath(service, d);
      if (changedPaths.contains(d)) {
        throw new DockerfileException("image " + service + ": the patch result both changes and"
            + " deletes " + d + "; merge results with PatchResult.merge");
      }
    }
    List<String> lines = new ArrayList<>();
    if (!result.deleted().isEmpty()) {
      // rm first: a later COPY may recreate a path under a deleted directory.
      StringBuilder rm = new StringBuilder("RUN rm -rf --");
      for (String d : result.deleted()) {
        rm.append(" \\\n    ").append(DockerfileSyntax.shellWord("/" + d));
      }
      lines.add(rm.toString());
    }
    TreeMap<Group, List<ChangedFile>> groups = new TreeMap<>(ORDER);
    for (ChangedFile f : result.changed()) {
      groups.computeIfAbsent(new Group(PathSafety.parent(f.path()), f.uid(), f.gid()),
          g -> new ArrayList<>()).add(f);
    }
    if (groups.size() > MAX_COPY_INSTRUCTIONS) {
      throw new DockerfileException("image " + service + ": the changed files span " + groups.size()
          + " directory/owner groups, one COPY layer each, more than the " + MAX_COPY_INSTRUCTIONS
          + " layers a Docker build should stack; use builder: daemonless");
    }
    List<ContextFile> files = new ArrayList<>();
    groups.forEach((group, members) -> {
      StringBuilder copy = new StringBuilder("COPY ");
      if (group.uid() != 0 || group.gid() != 0) {
        copy.append("--chown=").append(group.uid()).append(':').append(group.gid()).append(' ');
      }
      copy.append('[');
      for (ChangedFile f : members) {
        String inContext = "files/" + f.path();
        copy.append(DockerfileSyntax.jsonWord(inContext)).append(", ");
        files.add(new ContextFile(inContext, f.content(), f.mode(), f.size(), f.sha256()));
      }
      String dest = group.dir().isEmpty() ? "/" : "/" + group.dir() + "/";
      lines.add(copy.append(DockerfileSyntax.jsonWord(dest)).append(']').toString());
    });
    lines.addAll(specialModes(result));
    return new StyleBody(lines, files);
  }

  /**
   * Docker's classic builder chowns each copied file after writing it, and Linux clears the
   * setuid and setgid bits on chown (chown(2), "since Linux 2.2.13, root is treated like other
   * users"), so COPY alone loses them; {@code COPY --chmod} needs BuildKit. A {@code RUN chmod}
   * per mode restores them. Only files with special bits (rare) need it, and a shell.
   */
  private static List<String> specialModes(PatchResult result) {
    TreeMap<Integer, List<String>> byMode = new TreeMap<>();
    for (ChangedFile f : result.changed()) {
      if ((f.mode() & 07000) != 0) {
        byMode.computeIfAbsent(f.mode(), m -> new ArrayList<>()).add(f.path());
      }
    }
    List<String> lines = new ArrayList<>();
    byMode.forEach((mode, paths) -> {
      StringBuilder chmod = new StringBuilder("RUN chmod ").append(Integer.toOctalString(mode));
      paths.forEach(p -> chmod.append(" \\\n    ").append(DockerfileSyntax.shellWord("/" + p)));
      lines.add(chmod.toString());
    });
    return lines;
  }

  /** A path must be normalised, relative and not the root; then it must be expressible. */
  private static void checkPath(String service, String path) {
    String normal;
    try {
      normal = PathSafety.normalise(path);
    } catch (UnsafePathException e) {
      throw new UnsafePathException(path, "absolute, with a NUL byte or climbing above the root,"
          + " in the patch result of image " + service);
    }
    if (normal.isEmpty()) {
      throw new UnsafePathException(path, "names the image root in the patch result of image "
          + service + "; refit never replaces or deletes the root");
    }
    if (!normal.equals(path)) {
      throw new UnsafePathException(path, "is not normalised (expected '" + normal
          + "') in the patch result of image " + service);
    }
    DockerfileSyntax.checkCopyPath(service, path);
  }

  private static void checkMetadata(String service, ChangedFile f) {
    if ((f.mode() & ~07777) != 0) {
      throw new DockerfileException("image " + service + ": " + f.path() + " has mode "
          + Integer.toOctalString(f.mode()) + " with bits beyond 07777; the engine gives permission bits only");
    }
    if (f.uid() < 0 || f.gid() < 0) {
      throw new DockerfileException("image " + service + ": " + f.path() + " has a negative owner "
          + f.uid() + ":" + f.gid());
    }
    if (f.size() < 0) {
      throw new DockerfileException("image " + service + ": " + f.path() + " has negative size " + f.size());
    }
  }
}
