package dev.refit.patches.engine;

import dev.refit.error.Causes;
import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes what an install/ tree changes in an image: each file of the tree is compared with
 * the same path below the target directory, by size first and then by sha256 (both streamed);
 * only new or different files are kept. Files absent from the tree are deleted only on request.
 * The result is sorted. Thread-safe (no shared state); blocking.
 */
public final class TreeDelta {

  private TreeDelta() {}

  /**
   * @param tree the install/ tree, its root standing for {@code targetDir}
   * @param base the image's filesystem
   * Computes the delta.
   *
   * @param targetDir where the tree lands in the image (a leading '/' is allowed)
   * @param deleteMissing whether base files under {@code targetDir} absent from the tree are
   *     deleted
   * @param workDir directory receiving copies of the changed files (created if absent)
   * @throws dev.refit.patches.fs.UnsafePathException when a path meets a symlink in the image
   * @throws PatchException when the tree holds something other than files and directories
   */
  public static PatchResult compute(FileSource tree, FileSource base, String targetDir,
      boolean deleteMissing, Path workDir) {
    String target = PathGuard.canonicalDir(base, PathSafety.normaliseDir(targetDir));
    WorkFiles work = new WorkFiles(workDir);
    List<ChangedFile> changed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    try {
      walkTree(tree, base, target, "", work, changed);
      if (deleteMissing) {
        walkBase(tree, base, target, "", deleted);
      }
      return new PatchResult(changed, deleted);
    } catch (RuntimeException e) {
      work.cleanup();
      throw e;
    }
  }

  private static void walkTree(FileSource tree, FileSource base, String target, String dir,
      WorkFiles work, List<ChangedFile> out) {
    for (FileEntry e : tree.list(dir)) {
      String full = PathSafety.resolve(target, e.path());
      switch (e.type()) {
        case DIRECTORY -> walkTree(tree, base, target, e.path(), work, out);
        case FILE -> {
          PathGuard.check(base, target, full, "the base image");
          compareFile(tree, base, e, full, work).ifPresent(out::add);
        }
        default -> throw new PatchException("install tree entry " + e.path() + " is a "
            + e.type().name().toLowerCase(java.util.Locale.ROOT)
            + "; trees may hold only regular files and directories");
      }
    }
  }

  private static Optional<ChangedFile> compareFile(FileSource tree, FileSource base,
      FileEntry file, String full, WorkFiles work) {
    Optional<FileEntry> old = base.entry(full);
    try {
      if (old.isPresent() && old.get().size() == file.size()) {
        Digest baseHash = hash(base, full);
        WorkFiles.Written copy = copy(tree, file.path(), work);
        if (copy.sha256().equals(baseHash)) {
          work.discard(copy.file());
          return Optional.empty();
        }
        return Optional.of(changed(full, copy, file, old));
      }
      return Optional.of(changed(full, copy(tree, file.path(), work), file, old));
    } catch (IOException e) {
      throw new PatchException("cannot compare " + full + " with the install tree: "
          + Causes.describe(e), e);
    }
  }

  /** The tree decides the mode (it holds what was built); the image keeps its owner. */
  private static ChangedFile changed(String full, WorkFiles.Written w, FileEntry file,
      Optional<FileEntry> old) {
    int uid = old.map(FileEntry::uid).orElse(0);
    int gid = old.map(FileEntry::gid).orElse(0);
    return new ChangedFile(full, w.file(), file.mode(), uid, gid, w.size(), w.sha256());
  }

  private static WorkFiles.Written copy(FileSource src, String path, WorkFiles work)
      throws IOException {
    try (InputStream in = src.open(path)) {
      return work.copy(in);
    }
  }

  private static Digest hash(FileSource src, String path) throws IOException {
    try (InputStream in = src.open(path)) {
      return HashingOutputStream.hash(in, Digest.Algorithm.SHA256);
    }
  }

  /** Base entries with no counterpart in the tree; a missing directory is deleted whole. */
  private static void walkBase(FileSource tree, FileSource base, String target, String rel,
      List<String> out) {
    String full = rel.isEmpty() ? target : PathSafety.resolve(target, rel);
    for (FileEntry e : base.list(full)) {
      String childRel = rel.isEmpty() ? e.name() : rel + "/" + e.name();
      Optional<FileEntry> inTree = tree.entry(childRel);
      if (inTree.isEmpty()) {
        out.add(e.path());
      } else if (e.type() == EntryType.DIRECTORY && inTree.get().isDirectory()) {
        walkBase(tree, base, target, childRel, out);
      }
    }
  }
}
