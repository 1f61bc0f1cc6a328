package dev.refit.registry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Real {@code git} output for tests that patch images: the git CLI is the peer that defines what
 * a patch looks like. Blocking.
 */
public final class GitDiffs {
  private GitDiffs() {}

  /**
   * {@code git diff --cached} over a small app tree (the files a base image holds under its app
   * directory): a modification of {@code main.py}, the deletion of {@code obsolete.py}, a new
   * file in a new directory ({@code pkg/new.py}) and a new executable ({@code run.sh}).
   */
  public static byte[] sampleAppDiff(Path workDir) throws Exception {
    Path repo = Files.createDirectories(workDir.resolve("repo"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("main.py"), "print('old')\n");
    Files.writeString(repo.resolve("obsolete.py"), "gone\n");
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=refit", "-c", "user.email=refit@example.invalid", "commit", "-q", "-m", "base");
    Files.writeString(repo.resolve("main.py"), "print('old')\nprint('patched')\n");
    Files.delete(repo.resolve("obsolete.py"));
    Files.createDirectories(repo.resolve("pkg"));
    Files.writeString(repo.resolve("pkg/new.py"), "NEW = True\n");
    Files.writeString(repo.resolve("run.sh"), "#!/bin/sh\nexec python main.py\n");
    Files.setPosixFilePermissions(repo.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    git(repo, "add", "-A");
    return git(repo, "diff", "--cached");
  }

  /** Runs {@code git -C dir args...}, failing the test with git's output if it exits non-zero. */
  public static byte[] git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8)).isZero();
    return out;
  }
}
