package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static dev.refit.registry.server.RegistryHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingHandlersTest {
  @TempDir Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start(root);
    http = new RegistryHttp(registry.baseUrl());
    byte[] manifest = http.pushSmallImage("lib/app", "tags");
    for (String tag : List.of("v2", "latest", "V1", "v10", "a_1")) {
      http.pushManifest("lib/app", tag, manifest, MediaType.OCI_MANIFEST);
    }
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void tags_areSortedLexically() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/tags/list");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).getString("name")).isEqualTo("lib/app");
    assertThat(json(r).getJsonArray("tags").getList())
        .containsExactly("V1", "a_1", "latest", "v10", "v2");
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void tags_paginateWithNAndLastAndLinkHeader() {
    HttpResponse<byte[]> first = http.get("/v2/lib/app/tags/list?n=2");

    assertThat(json(first).getJsonArray("tags").getList()).containsExactly("V1", "a_1");
    assertThat(header(first, "Link"))
        .isEqualTo("</v2/lib/app/tags/list?n=2&last=a_1>; rel=\"next\"");

    HttpResponse<byte[]> second = http.get("/v2/lib/app/tags/list?n=2&last=a_1");
    assertThat(json(second).getJsonArray("tags").getList()).containsExactly("latest", "v10");

    HttpResponse<byte[]> third = http.get("/v2/lib/app/tags/list?n=2&last=v10");
    assertThat(json(third).getJsonArray("tags").getList()).containsExactly("v2");
    assertThat(header(third, "Link")).isNull();
  }

  @Test
  void tags_nZero_isEmptyWithoutLink() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/tags/list?n=0");

    assertThat(json(r).getJsonArray("tags").getList()).isEmpty();
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void tags_negativeN_isRejected() {
    assertError(http.get("/v2/lib/app/tags/list?n=-1"), 400, "PAGINATION_NUMBER_INVALID");
  }

  @Test
  void tags_unknownRepository_returnsNameUnknown() {
    assertError(http.get("/v2/lib/none/tags/list"), 404, "NAME_UNKNOWN");
  }

  @Test
  void catalog_listsRepositoriesSortedAndPaginated() {
    http.pushSmallImage("aaa/first", "c");
    http.pushSmallImage("zzz/last", "c");

    HttpResponse<byte[]> all = http.get("/v2/_catalog");
    assertThat(json(all).getJsonArray("repositories").getList())
        .containsExactly("aaa/first", "lib/app", "zzz/last");

    HttpResponse<byte[]> page = http.get("/v2/_catalog?n=1&last=aaa/first");
    assertThat(json(page).getJsonArray("repositories").getList()).containsExactly("lib/app");
    assertThat(header(page, "Link")).isEqualTo("</v2/_catalog?n=1&last=lib%2Fapp>; rel=\"next\"");
  }
}
