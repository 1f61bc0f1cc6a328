package dev.refit.patches.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Applies a {@link PatchResult} onto a copy of an image directory and compares directory trees
 * by content and executable bit. Test helper; confined to one test.
 */
final class TreeAssertions {

  private TreeAssertions() {}

  /** Writes the result's files and removes its deletions below {@code imageRoot}. */
  static void materialise(PatchResult result, Path imageRoot) {
    try {
      for (String d : result.deleted()) {
        Files.deleteIfExists(imageRoot.resolve(d));
      }
      for (ChangedFile f : result.changed()) {
        Path dest = imageRoot.resolve(f.path());
        Files.createDirectories(dest.getParent());
        Files.copy(f.content(), dest, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(dest, perms(f.mode()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts both trees hold the same files with the same bytes and executable bits. */
  static void assertSameTree(Path actual, Path expected) {
    Map<String, String> a = describe(actual);
    Map<String, String> e = describe(expected);
    assertThat(a).containsExactlyEntriesOf(e);
  }

  private static Map<String, String> describe(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String rel = root.relativize(p).toString();
        if (rel.startsWith(".git") || rel.startsWith(".no-global") || Files.isDirectory(p)) {
          continue;
        }
        boolean exec = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
        out.put(rel, (exec ? "x " : "- ") + new String(Files.readAllBytes(p),
            java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out;
  }

  static java.util.Set<PosixFilePermission> perms(int mode) {
    java.util.Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(all[i]);
      }
    }
    return set;
  }

  /** Every file left below {@code dir}, for no-output-left-behind checks. */
  static long fileCount(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
