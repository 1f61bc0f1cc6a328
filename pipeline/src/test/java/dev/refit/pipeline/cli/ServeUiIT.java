package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code refit registry serve} over the demo's cache: the web view is in the jar and
 * on by default, and {@code --no-ui} leaves only the registry API.
 */
class ServeUiIT {

  @Test
  void serve_cacheDir_servesTheWebViewOfItsStore() throws Exception {
    try (ServedJar server = ServedJar.start(List.of(), "--cache-dir", DemoCache.get().toString())) {
      HttpResponse<String> page = get(server, "/ui/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<script src=\"app.js\"></script>");
      JsonObject repos = new JsonObject(get(server, "/ui/api/repositories").body());
      assertThat(repos.getInteger("total")).isEqualTo(10);
      assertThat(get(server, "/ui/api/report").statusCode()).isEqualTo(200);
      assertThat(server.output()).contains("web view: http://127.0.0.1:" + server.port() + "/ui/");
    }
  }

  @Test
  void serve_noUi_leavesOnlyTheRegistryApi() throws Exception {
    try (ServedJar server = ServedJar.start(List.of(), "--cache-dir", DemoCache.get().toString(), "--no-ui")) {
      assertThat(get(server, "/ui/").statusCode()).isEqualTo(404);
      assertThat(get(server, "/ui/api/repositories").statusCode()).isEqualTo(404);
      assertThat(get(server, "/v2/_catalog").body()).contains("centos-binary-nova-api");
      assertThat(server.output()).noneMatch(l -> l.startsWith("web view:"));
    }
  }

  private static HttpResponse<String> get(ServedJar server, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
