package dev.refit.patches.engine;

import dev.refit.error.Causes;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies a parsed patch to the files of one image below a target directory, writing new
 * contents to a work directory and reporting them with their metadata; deletions are listed for
 * whiteouts. File sections apply in patch order, each over the result of the ones before it.
 * Nothing is left in the work directory when it fails. Thread-safe (no shared state); blocking.
 */
public final class PatchEngine {

  private static final int NEW_FILE_MODE = 0644;
  private static final int NEW_EXEC_MODE = 0755;

  private final PatchOptions options;

  public PatchEngine(PatchOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The current state of a touched path: new content, or deleted (content null). */
  private record State(WorkFiles.Written content, int mode, int uid, int gid) {}

  /**
   * Applies {@code patch} to {@code base}.
   *
   * @param targetDir path inside the image where the project root lives, e.g.
   *     {@code usr/lib/python3.6/site-packages} (a leading '/' is allowed); symlinks within this
   *     directory path itself are resolved, and results name the real directory
   * @param workDir directory receiving the new contents (created if absent)
   * @param imageName the image, for messages
   * @throws PatchConflictException when a hunk does not match
   * @throws UnsafePathException when a path escapes the target directory or meets a symlink
   * @throws PatchException when a file to change is missing or one to create already exists
   */
  public PatchResult apply(ParsedPatch patch, FileSource base, String targetDir, Path workDir,
      String imageName) {
    String target = PathGuard.canonicalDir(base, PathSafety.normaliseDir(targetDir));
    WorkFiles work = new WorkFiles(workDir);
    Map<String, State> touched = new TreeMap<>();
    try {
      for (FileChange change : patch.files()) {
        applyOne(change, base, target, work, touched, imageName, patch.sourceName());
      }
      return result(base, touched);
    } catch (RuntimeException e) {
      work.cleanup();
      throw e;
    }
  }

  private void applyOne(FileChange c, FileSource base, String target, WorkFiles work,
      Map<String, State> touched, String image, String source) {
    if (isLink(c.newMode()) || isLink(c.oldMode())) {
      throw new UnsafePathException(c.displayPath(), "patch " + source
          + " creates or changes a symlink; refit does not write symlinks");
    }
    String oldFull = c.oldPath() == null ? null : PathSafety.resolve(target, c.oldPath());
    String newFull = c.newPath() == null ? null : PathSafety.resolve(target, c.newPath());
    for (String p : new String[] {oldFull, newFull}) {
      if (p != null && !touched.containsKey(p)) {
        PathGuard.check(base, target, p, "image " + image);
      }
    }
    switch (c.kind()) {
      case ADD -> {
        if (exists(base, touched, newFull)) {
          throw new PatchException("patch " + source + " creates " + newFull + " but it already"
              + " exists in image " + image + "; the patch does not fit this image");
        }
        TextContent text = TextContent.empty();
        new HunkApplier(options.fuzz()).apply(text, c.hunks(), image, newFull);
        int mode = c.newMode() != null && (c.newMode() & 0111) != 0
            ? NEW_EXEC_MODE : NEW_FILE_MODE;
        put(touched, work, newFull, new State(work.write(text.toBytes()), mode, 0, 0));
      }
      case DELETE -> {
        State old = current(base, touched, oldFull, image, source);
        if (!c.hunks().isEmpty()) {
          TextContent text = read(base, touched, oldFull, image);
          new HunkApplier(options.fuzz()).apply(text, c.hunks(), image, oldFull);
          if (!text.lines.isEmpty()) {
            throw new PatchConflictException(image, oldFull, c.hunks().get(0).label(),
                List.of("the patch deletes the file, but " + text.lines.size()
                    + " line(s) it does not know about remain"));
          }
        }
        put(touched, work, oldFull, new State(null, old.mode(), old.uid(), old.gid()));
      }
      case MODIFY, RENAME, COPY -> {
        State old = current(base, touched, oldFull, image, source);
        int mode = newMode(old.mode(), c);
        WorkFiles.Written content;
        if (c.hunks().isEmpty()) {
          content = copyThrough(base, touched, oldFull, work, image);
        } else {
          TextContent text = read(base, touched, oldFull, image);
          new HunkApplier(options.fuzz()).apply(text, c.hunks(), image, newFull);
          content = work.write(text.toBytes());
        }
        if (c.kind() != FileChange.Kind.MODIFY && !newFull.equals(oldFull)
            && exists(base, touched, newFull)) {
          throw new PatchException("patch " + source + " " + (c.kind() == FileChange.Kind.RENAME
              ? "renames" : "copies") + " " + oldFull + " to " + newFull
              + " but that already exists in image " + image);
        }
        if (c.kind() == FileChange.Kind.RENAME) {
          put(touched, work, oldFull, new State(null, old.mode(), old.uid(), old.gid()));
        }
        put(touched, work, newFull, new State(content, mode, old.uid(), old.gid()));
      }
      default -> throw new IllegalStateException("unknown change kind " + c.kind());
    }
  }

  private static boolean isLink(Integer gitMode) {
    return gitMode != null && (gitMode & 0170000) == FileChange.GIT_SYMLINK;
  }

  /** Git tracks only the executable bit; keep the image's other bits (and its owner). */
  private static int newMode(int original, FileChange c) {
    if (!c.changesMode()) {
      return original;
    }
    boolean exec = (c.newMode() & 0111) != 0;
    return exec ? original | ((original & 0444) >> 2) : original & ~0111;
  }

  private static void put(Map<String, State> touched, WorkFiles work, String path, State s) {
    State previous = touched.put(path, s);
    if (previous != null && previous.content() != null) {
      work.discard(previous.content().file());
    }
  }

  private static boolean exists(FileSource base, Map<String, State> touched, String path) {
    State s = touched.get(path);
    return s != null ? s.content() != null : base.entry(path).isPresent();
  }

  private static State current(FileSource base, Map<String, State> touched, String path,
      String image, String source) {
    State s = touched.get(path);
    if (s != null && s.content() != null) {
      return s;
    }
    Optional<FileEntry> e = s == null ? base.entry(path) : Optional.empty();
    if (e.isEmpty()) {
      throw new PatchException("patch " + source + " changes " + path + " but it does not exist"
          + " in image " + image + "; check the target directory and the -p level");
    }
    return new State(null, e.get().mode(), e.get().uid(), e.get().gid());
  }

  private static InputStream open(FileSource base, Map<String, State> touched, String path)
      throws IOException {
    State s = touched.get(path);
    return s != null ? Files.newInputStream(s.content().file()) : base.open(path);
  }

  private static TextContent read(FileSource base, Map<String, State> touched, String path,
      String image) {
    try (InputStream in = open(base, touched, path)) {
      return TextContent.of(in.readAllBytes());
    } catch (IOException e) {
      throw new PatchException("cannot read " + path + " from image " + image + ": "
          + Causes.describe(e), e);
    }
  }

  private static WorkFiles.Written copyThrough(FileSource base, Map<String, State> touched,
      String path, WorkFiles work, String image) {
    try (InputStream in = open(base, touched, path)) {
      return work.copy(in);
    } catch (IOException e) {
      throw new PatchException("cannot read " + path + " from image " + image + ": "
          + Causes.describe(e), e);
    }
  }

  private static PatchResult result(FileSource base, Map<String, State> touched) {
    List<ChangedFile> changed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<String, State> e : touched.entrySet()) {
      State s = e.getValue();
      if (s.content() == null) {
        if (base.entry(e.getKey()).isPresent()) {
          deleted.add(e.getKey());
        }
      } else {
        WorkFiles.Written w = s.content();
        changed.add(new ChangedFile(e.getKey(), w.file(), s.mode(), s.uid(), s.gid(), w.size(),
            w.sha256()));
      }
    }
    return new PatchResult(changed, deleted);
  }
}
