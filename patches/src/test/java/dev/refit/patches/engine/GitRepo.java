package dev.refit.patches.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real git repository in a test directory, driven through the git CLI, so patches under test
 * are genuine {@code git diff} / {@code git format-patch} output. Confined to one test.
 */
final class GitRepo {

  private final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  static GitRepo init(Path dir) {
    GitRepo repo = new GitRepo(dir);
    repo.git("init", "-q");
    repo.git("config", "core.autocrlf", "false");
    repo.git("config", "commit.gpgsign", "false");
    return repo;
  }

  Path dir() {
    return dir;
  }

  GitRepo write(String path, String content) {
    return writeBytes(path, content.getBytes(StandardCharsets.UTF_8));
  }

  GitRepo writeBytes(String path, byte[] content) {
    try {
      Path f = dir.resolve(path);
      Files.createDirectories(f.getParent());
      Files.write(f, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  GitRepo chmod(String path, String perms) {
    try {
      Files.setPosixFilePermissions(dir.resolve(path), PosixFilePermissions.fromString(perms));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  GitRepo commitAll(String message) {
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return this;
  }

  /** Runs git in the repository and returns its stdout. */
  String git(String... args) {
    return new String(gitBytes(args), StandardCharsets.UTF_8);
  }

  byte[] gitBytes(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", dir.resolve(".no-global-config").toString());
    env.put("GIT_AUTHOR_NAME", "refit test");
    env.put("GIT_AUTHOR_EMAIL", "test@refit.invalid");
    env.put("GIT_COMMITTER_NAME", "refit test");
    env.put("GIT_COMMITTER_EMAIL", "test@refit.invalid");
    try {
      Process p = pb.redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + err);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Copies the work tree (without .git) below {@code dest}. */
  void exportTo(Path dest) {
    copyTree(dir, dest);
  }

  static void copyTree(Path from, Path dest) {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith(".git") || rel.toString().startsWith(".no-global")) {
          continue;
        }
        Path target = dest.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
