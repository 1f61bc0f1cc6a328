package dev.refit.patches.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: runs the docker CLI against the engine at DOCKER_HOST (tests may shell out;
 * product code never does). Blocking; not thread-safe.
 */
final class DockerCli {

  /** A finished command: exit code, stdout file, stderr text. */
  record Result(int exit, Path stdout, String stderr) {
    String out() {
      try {
        return Files.readString(stdout, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final Path scratch;

  DockerCli(Path scratch) {
    this.scratch = scratch;
  }

  /** Runs {@code docker args...} with {@code stdin} (may be null); fails on a non-zero exit. */
  String ok(byte[] stdin, String... args) {
    Result r = run(stdin, args);
    if (r.exit() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit() + "\nstdout:\n"
          + r.out() + "\nstderr:\n" + r.stderr());
    }
    return r.out().trim();
  }

  Result run(byte[] stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(scratch, "docker-out-", ".bin");
      Path err = Files.createTempFile(scratch, "docker-err-", ".txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("docker " + String.join(" ", args) + " did not finish within 5 minutes");
      }
      return new Result(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Best-effort removal of what a test created; failures do not hide the test's own result. */
  void quietly(String... args) {
    try {
      run(null, args);
    } catch (RuntimeException | AssertionError e) {
      // cleanup only
    }
  }
}
