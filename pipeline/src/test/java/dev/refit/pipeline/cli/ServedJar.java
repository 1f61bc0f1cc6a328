package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test kit: the packaged {@code refit registry serve} ({@code target/refit-all.jar}, so failsafe
 * only) in its own JVM on a free loopback port, until {@link #close}. Not thread-safe.
 */
final class ServedJar implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;
  private final List<String> output;

  private ServedJar(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts {@code java JVM-OPTIONS -jar refit-all.jar registry serve --listen 127.0.0.1:0 ARGS}. */
  static ServedJar start(List<String> jvmOptions, String... serveArgs) throws IOException {
    Path jar = Path.of("target", "refit-all.jar").toAbsolutePath();
    assertThat(jar).as("failsafe runs after package").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "registry", "serve", "--listen", "127.0.0.1:0"));
    command.addAll(List.of(serveArgs));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      output.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(output::add), "serve-output");
        drain.setDaemon(true);
        drain.start();
        return new ServedJar(process, Integer.parseInt(m.group(1)), output);
      }
    }
    throw new IllegalStateException("registry serve exited before listening: " + output);
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** What the server printed so far. */
  List<String> output() {
    return output;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(20, TimeUnit.SECONDS);
    process.destroyForcibly();
  }
}
