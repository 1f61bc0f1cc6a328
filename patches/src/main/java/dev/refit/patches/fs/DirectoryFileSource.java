package dev.refit.patches.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link FileSource} over a local directory (install/ trees, tests). Symlinks are reported, never
 * followed, including in parent components. Thread-safe; blocking.
 */
public final class DirectoryFileSource implements FileSource {

  private final Path root;

  private DirectoryFileSource(Path root) {
    this.root = root;
  }

  /** A view of {@code root}, which must be an existing directory. */
  public static DirectoryFileSource of(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("not a directory: " + root);
    }
    return new DirectoryFileSource(root.toAbsolutePath().normalize());
  }

  /** The directory this view reads. */
  public Path root() {
    return root;
  }

  @Override
  public Optional<FileEntry> entry(String path) {
    String p = PathSafety.normalise(path);
    if (!p.isEmpty() && !parentsAreDirectories(p)) {
      return Optional.empty();
    }
    Path file = p.isEmpty() ? root : root.resolve(p);
    try {
      return Optional.of(read(p, file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    String p = PathSafety.normalise(path);
    FileEntry e = entry(p).orElseThrow(() -> new NoSuchFileException(p));
    if (!e.isFile()) {
      throw new IOException("not a regular file: " + p + " (" + e.type() + ")");
    }
    return Files.newInputStream(root.resolve(p), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public List<FileEntry> list(String dirPath) {
    String d = PathSafety.normalise(dirPath);
    Optional<FileEntry> dir = entry(d);
    if (dir.isEmpty() || !dir.get().isDirectory()) {
      return List.of();
    }
    Path dirFile = d.isEmpty() ? root : root.resolve(d);
    List<FileEntry> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(dirFile)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        String name = child.getFileName().toString();
        out.add(read(d.isEmpty() ? name : d + "/" + name, child));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dirFile, e);
    }
    out.sort(Comparator.comparing(FileEntry::name));
    return out;
  }

  /** A symlinked parent would make the lookup follow it, which the contract forbids. */
  private boolean parentsAreDirectories(String p) {
    Path cur = root;
    String[] parts = p.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.resolve(parts[i]);
      if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  private static FileEntry read(String rel, Path file) throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode;
    int uid = 0;
    int gid = 0;
    try {
      Map<String, Object> unix = Files.readAttributes(file, "unix:mode,uid,gid",
          LinkOption.NOFOLLOW_LINKS);
      mode = ((Integer) unix.get("mode")) & 07777;
      uid = (Integer) unix.get("uid");
      gid = (Integer) unix.get("gid");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      mode = posixMode(file);
    }
    if (attrs.isSymbolicLink()) {
      return FileEntry.symlink(rel, Files.readSymbolicLink(file).toString(), uid, gid);
    }
    if (attrs.isDirectory()) {
      return FileEntry.directory(rel, mode, uid, gid);
    }
    if (attrs.isRegularFile()) {
      return FileEntry.file(rel, mode, uid, gid, attrs.size());
    }
    return new FileEntry(rel, EntryType.OTHER, mode, uid, gid, 0, null);
  }

  private static int posixMode(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) ? 0755 : 0644;
    }
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
