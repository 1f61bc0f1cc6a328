package dev.refit.registry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool (docker, skopeo) as a child process for integration tests, with a fixed
 * extra environment and a timeout; output goes to files so a chatty tool never blocks on a full
 * pipe. Blocking. Thread-safe (holds no mutable state).
 */
public final class ExternalCommand {
  private final Map<String, String> environment;
  private final Path scratch;

  private ExternalCommand(Map<String, String> environment, Path scratch) {
    this.environment = Map.copyOf(environment);
    this.scratch = scratch;
  }

  /** A runner that adds {@code environment} to the inherited one and keeps output under {@code scratch}. */
  public static ExternalCommand of(Map<String, String> environment, Path scratch) {
    return new ExternalCommand(environment, scratch);
  }

  public Result run(Duration timeout, String... command) {
    return run(timeout, List.of(command));
  }

  public Result run(Duration timeout, List<String> command) {
    try {
      Files.createDirectories(scratch);
      Path out = Files.createTempFile(scratch, "out", ".txt");
      Path err = Files.createTempFile(scratch, "err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
            + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
      }
      return new Result(List.copyOf(command), process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command.get(0)
          + ": is it installed? bin/test installs docker.io and skopeo", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** Exit code and captured output of one finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    /** Returns this result, or fails the test with the full output if the command failed. */
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(describe());
      }
      return this;
    }

    public String describe() {
      return String.join(" ", command) + " exited with " + exitCode
          + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
