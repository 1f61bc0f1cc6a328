package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code refit registry serve} over the demo's cache: the web view is in the jar and
 * on by default, and {@code --no-ui} leaves only the registry API.
 */
class ServeUiIT {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  @Test
  void serve_cacheDir_servesTheWebViewOfItsStore() throws Exception {
    List<String> output = new ArrayList<>();
    int port = start(output, "--cache-dir", DemoCache.get().toString());

    HttpResponse<String> page = get(port, "/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"app.js\"></script>");
    JsonObject repos = new JsonObject(get(port, "/ui/api/repositories").body());
    assertThat(repos.getInteger("total")).isEqualTo(10);
    assertThat(get(port, "/ui/api/report").statusCode()).isEqualTo(200);
    assertThat(output).anyMatch(l -> l.equals("web view: http://127.0.0.1:" + port + "/ui/"));
  }

  @Test
  void serve_noUi_leavesOnlyTheRegistryApi() throws Exception {
    int port = start(new ArrayList<>(), "--cache-dir", DemoCache.get().toString(), "--no-ui");

    assertThat(get(port, "/ui/").statusCode()).isEqualTo(404);
    assertThat(get(port, "/ui/api/repositories").statusCode()).isEqualTo(404);
    assertThat(get(port, "/v2/_catalog").body()).contains("centos-binary-nova-api");
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Starts serve with {@code args}; returns its port once it listens, collecting its first lines. */
  private int start(List<String> output, String... args) throws IOException {
    Path jar = Path.of("target", "refit-all.jar").toAbsolutePath();
    assertThat(jar).as("failsafe runs after package").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "registry", "serve",
        "--listen", "127.0.0.1:0"));
    command.addAll(List.of(args));
    server = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    Integer port = null;
    for (String line; (line = out.readLine()) != null; ) {
      output.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
      if (port != null && (line.startsWith("web view: ") || List.of(args).contains("--no-ui"))) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "serve-output");
        drain.setDaemon(true);
        drain.start();
        return port;
      }
    }
    throw new IllegalStateException("registry serve exited before listening: " + output);
  }
}
