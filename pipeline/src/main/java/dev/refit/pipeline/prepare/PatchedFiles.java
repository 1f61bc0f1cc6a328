package dev.refit.pipeline.prepare;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An image's files as the patches applied so far left them: the base with a {@link PatchResult}
 * laid over it, so the next patch of a series applies to the result of the ones before it (as
 * {@code patch -p1} run one after another would). Immutable; thread-safe if the base is.
 */
final class PatchedFiles implements FileSource {
  private final FileSource base;
  private final Map<String, ChangedFile> changed = new TreeMap<>();
  private final Set<String> deleted;

  PatchedFiles(FileSource base, PatchResult result) {
    this.base = base;
    for (ChangedFile c : result.changed()) {
      changed.put(c.path(), c);
    }
    this.deleted = new HashSet<>(result.deleted());
  }

  @Override
  public Optional<FileEntry> entry(String path) {
    ChangedFile c = changed.get(path);
    if (c != null) {
      return Optional.of(FileEntry.file(path, c.mode(), c.uid(), c.gid(), c.size()));
    }
    return deleted.contains(path) ? Optional.empty() : base.entry(path);
  }

  @Override
  public InputStream open(String path) throws IOException {
    ChangedFile c = changed.get(path);
    if (c != null) {
      return Files.newInputStream(c.content());
    }
    if (deleted.contains(path)) {
      throw new NoSuchFileException(path, null, "deleted by an earlier patch");
    }
    return base.open(path);
  }

  @Override
  public List<FileEntry> list(String dirPath) {
    String dir = PathSafety.normaliseDir(dirPath);
    List<FileEntry> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FileEntry e : base.list(dirPath)) {
      if (!deleted.contains(e.path()) && !changed.containsKey(e.path())) {
        out.add(e);
        seen.add(e.path());
      }
    }
    for (ChangedFile c : changed.values()) {
      if (PathSafety.parent(c.path()).equals(dir) && seen.add(c.path())) {
        out.add(FileEntry.file(c.path(), c.mode(), c.uid(), c.gid(), c.size()));
      }
    }
    return out;
  }
}
