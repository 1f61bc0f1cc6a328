package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterTest {
  private InProcessRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start();
    http = new RegistryHttp(registry.baseUrl());
  }

  @AfterEach
  void stop() {
    Path root = registry.store().root();
    registry.close();
    assertThat(root).as("temporary root removed by close()").doesNotExist();
  }

  @Test
  void ping_returns200EmptyJsonWithApiVersion() {
    HttpResponse<byte[]> r = http.get("/v2/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(RegistryHttp.body(r)).isEqualTo("{}");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertThat(header(r, "Content-Type")).isEqualTo("application/json");
  }

  @Test
  void unknownEndpoint_returns404WithApiVersionHeader() {
    assertError(http.get("/v2/lib/app/nothing-here"), 404, "UNSUPPORTED");
    assertError(http.get("/other"), 404, "UNSUPPORTED");
  }

  @Test
  void wrongMethod_returns405UnsupportedWithAllow() {
    HttpResponse<byte[]> tags = http.send("POST", "/v2/lib/app/tags/list", new byte[0]);
    HttpResponse<byte[]> manifest = http.send("PATCH", "/v2/lib/app/manifests/v1", new byte[] {1});
    HttpResponse<byte[]> uploads = http.get("/v2/lib/app/blobs/uploads/");
    HttpResponse<byte[]> ping = http.delete("/v2/");

    assertError(tags, 405, "UNSUPPORTED");
    assertError(manifest, 405, "UNSUPPORTED");
    assertThat(header(tags, "Allow")).isEqualTo("GET, HEAD");
    assertThat(header(manifest, "Allow")).isEqualTo("GET, HEAD, PUT, DELETE");
    assertThat(header(uploads, "Allow")).isEqualTo("POST");
    assertThat(header(ping, "Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void decodePath_decodesEscapesButRefusesEncodedSlash() {
    assertThat(Router.decodePath("/v2/lib%2Dx/tags/list")).isEqualTo("/v2/lib-x/tags/list");
    assertThatThrownBy(() -> Router.decodePath("/v2/lib%2fx/tags/list"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    assertThatThrownBy(() -> Router.decodePath("/v2/lib%5Cx/tags/list"))
        .isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> Router.decodePath("/v2/lib%zz/tags/list"))
        .isInstanceOf(RegistryException.class);
  }

  @Test
  void validateName_refusesTraversalAndAbsoluteNames() {
    for (String bad : new String[] {"../etc", "lib/../x", "/abs", "lib//x", "Upper", "lib/.", ""}) {
      assertThatThrownBy(() -> Router.validateName(bad)).as(bad)
          .isInstanceOfSatisfying(RegistryException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }
    Router.validateName("lib/app-1/x.y__z");
  }
}
