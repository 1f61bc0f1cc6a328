package dev.refit.pipeline.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.cli.DemoCache;
import dev.refit.pipeline.demo.KollaFamily;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web view's JSON API over the demo's store, through a plain HTTP client. */
class WebUiApiTest {
  private static final String NOVA_API = KollaFamily.NAMESPACE + "/" + KollaFamily.PREFIX + "nova-api";

  private static Path cache;
  private static InProcessRegistry registry;
  private static UiHttp http;

  @BeforeAll
  static void serveTheDemo() {
    cache = DemoCache.get();
    registry = InProcessRegistry.start(RegistryConfig.defaults(cache.resolve("registry")), WebUi.of(cache));
    http = UiHttp.of(registry.baseUrl());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static JsonObject json(String path) throws Exception {
    HttpResponse<String> r = http.get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  @Test
  void repositories_pagedWithNAndLast_coverTheStoreOnce() throws Exception {
    List<String> expected = registry.store().repositories().stream().sorted().toList();
    List<String> seen = new ArrayList<>();
    String last = null;
    int pages = 0;
    do {
      JsonObject page = json("/ui/api/repositories?n=3" + (last == null ? "" : "&last=" + last));
      JsonArray items = page.getJsonArray("repositories");
      assertThat(items.size()).isLessThanOrEqualTo(3).isPositive();
      assertThat(page.getInteger("total")).isEqualTo(expected.size());
      items.forEach(o -> seen.add(((JsonObject) o).getString("name")));
      last = page.getString("next");
      pages++;
    } while (last != null);

    assertThat(expected).hasSize(10);
    assertThat(seen).isEqualTo(expected);
    assertThat(pages).isEqualTo(4);
    JsonObject first = json("/ui/api/repositories?n=100").getJsonArray("repositories").stream()
        .map(JsonObject.class::cast).filter(r -> r.getString("name").equals(NOVA_API)).findFirst().orElseThrow();
    assertThat(first.getBoolean("apex")).isTrue();
    assertThat(first.getInteger("tags")).isEqualTo(2);
  }

  @Test
  void tags_giveDigestSizeAndCreated_fromTheStore() throws Exception {
    JsonObject page = json("/ui/api/tags?repo=" + NOVA_API);
    assertThat(page.getString("repository")).isEqualTo(NOVA_API);
    List<JsonObject> tags = page.getJsonArray("tags").stream().map(JsonObject.class::cast).toList();
    assertThat(tags).extracting(t -> t.getString("tag")).containsExactly("apex", KollaFamily.TAG);

    for (JsonObject tag : tags) {
      RawManifest raw = registry.store().get(NOVA_API, tag.getString("tag")).orElseThrow();
      Manifest m = Manifest.parse(raw.bytes());
      long size = raw.size() + m.config().size() + m.layers().stream().mapToLong(Descriptor::size).sum();
      assertThat(tag.getString("digest")).isEqualTo(raw.digest().toString());
      assertThat(tag.getLong("size")).isEqualTo(size);
      assertThat(tag.getString("created")).matches("\\d{4}-\\d\\d-\\d\\dT.*");
      assertThat(tag.getString("platform")).isEqualTo("linux/amd64");
    }
    assertThat(tags.get(0).getBoolean("apex")).isTrue();
    assertThat(tags.get(0).getBoolean("patched")).isTrue();
    assertThat(tags.get(1).getBoolean("apex")).isFalse();
    assertThat(tags.get(1).getBoolean("patched")).isFalse();

    JsonObject second = json("/ui/api/tags?repo=" + NOVA_API + "&n=1&last=apex");
    assertThat(second.getJsonArray("tags")).hasSize(1);
    assertThat(second.getJsonArray("tags").getJsonObject(0).getString("tag")).isEqualTo(KollaFamily.TAG);
    assertThat(second.getString("next")).isNull();
  }

  @Test
  void apexImage_showsBasePatchesBuilderAndBuildKey() throws Exception {
    JsonObject image = json("/ui/api/image?repo=" + NOVA_API + "&ref=apex");
    JsonObject p = image.getJsonObject("provenance");
    String upstreamDigest = registry.store().get(NOVA_API, KollaFamily.TAG).orElseThrow().digest().toString();

    assertThat(p.getString("baseName")).isEqualTo(NOVA_API);
    assertThat(p.getString("baseRepository")).isEqualTo(NOVA_API);
    assertThat(p.getString("baseDigest")).isEqualTo(upstreamDigest);
    assertThat(p.getBoolean("baseInStore")).isTrue();
    assertThat(p.getString("builder")).isEqualTo("daemonless");
    assertThat(p.getString("buildKey")).isEqualTo(image.getJsonObject("labels").getString(Provenance.BUILD_KEY))
        .isNotBlank();
    JsonObject patch = p.getJsonArray("patches").getJsonObject(0);
    assertThat(patch.getString("id")).isEqualTo("I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
    assertThat(patch.getString("sha256")).startsWith("sha256:");
    assertThat(image.getJsonArray("layers").size()).isGreaterThan(1);
  }

  @Test
  void diff_ofApexAgainstItsBase_isRefitDiffJson_withThePatchedFile() throws Exception {
    JsonObject diff = json("/ui/api/diff?repo=" + NOVA_API + "&ref=apex");

    assertThat(diff.getString("schema")).isEqualTo("refit.diff/v1");
    JsonObject servers = diff.getJsonArray("paths").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("path").endsWith("nova/api/openstack/compute/servers.py"))
        .findFirst().orElseThrow();
    assertThat(servers.getString("change")).isEqualTo("changed");
    assertThat(servers.getString("unified"))
        .contains("+        min_count = int(server_dict.get('min_count', 1))")
        .contains("-        min_count = 1");
    assertThat(diff.getJsonObject("summary").getInteger("changed")).isGreaterThanOrEqualTo(2);
    assertThat(diff.getJsonObject("a").getString("digest"))
        .isEqualTo(registry.store().get(NOVA_API, KollaFamily.TAG).orElseThrow().digest().toString());

    HttpResponse<String> upstream = http.get("/ui/api/diff?repo=" + NOVA_API + "&ref=" + KollaFamily.TAG);
    assertThat(upstream.statusCode()).isEqualTo(404);
    assertThat(upstream.body()).contains("has no base labels");
  }

  @Test
  void unknownRepositoryOrTag_is404WithAMessage() throws Exception {
    HttpResponse<String> repo = http.get("/ui/api/tags?repo=tripleomaster/no-such-image");
    assertThat(repo.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(repo.body()).getString("error"))
        .isEqualTo("repository tripleomaster/no-such-image is not in this store");

    HttpResponse<String> tag = http.get("/ui/api/image?repo=" + NOVA_API + "&ref=nope");
    assertThat(tag.statusCode()).isEqualTo(404);
    assertThat(tag.body()).contains(NOVA_API + ":nope is not in this store");

    assertThat(http.get("/ui/api/nothing").statusCode()).isEqualTo(404);
    assertThat(http.get("/ui/api/repositories?n=0").statusCode()).isEqualTo(400);
  }

  @Test
  void traversal_isRefused_andNoFileOutsideTheStoreIsRead() throws Exception {
    for (String path : List.of(
        "/ui/api/tags?repo=../../etc",
        "/ui/api/tags?repo=tripleomaster/../../etc",
        "/ui/api/image?repo=" + NOVA_API + "&ref=../../../etc/passwd",
        "/ui/api/image?repo=" + NOVA_API + "&ref=sha256:../../x")) {
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(path).isNotBlank();
    }
    for (String path : List.of("/ui/../../../../etc/passwd", "/ui/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/ui/..%2f..%2fpom.xml", "/ui/WebUi.class", "/ui/web/app.js")) {
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("root:").doesNotContain("<project");
    }
  }

  @Test
  void page_andItsAssets_areServedFromTheJar() throws Exception {
    HttpResponse<String> page = http.get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"app.js\"></script>");
    assertThat(http.get("/ui/app.js").body()).contains("api/");
    assertThat(http.get("/ui/style.css").statusCode()).isEqualTo(200);
    assertThat(http.get("/ui").statusCode()).isEqualTo(302);
  }

  @Test
  void report_isTheDemosLastReport_withoutPathsOutsideTheStore() throws Exception {
    HttpResponse<String> r = http.get("/ui/api/report");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject report = new JsonObject(r.body());
    assertThat(report.getJsonArray("images")).hasSize(10);
    JsonObject nova = report.getJsonArray("images").stream().map(JsonObject.class::cast)
        .filter(i -> i.getString("service").equals("nova-api")).findFirst().orElseThrow();
    assertThat(nova.getString("apexDigest"))
        .isEqualTo(registry.store().get(NOVA_API, "apex").orElseThrow().digest().toString());
    assertThat(report.getJsonArray("rewritten").getString(0)).contains("overcloud-images.yaml");
    assertThat(r.body()).doesNotContain(cache.toString()).doesNotContain(System.getProperty("java.io.tmpdir") + "/");
  }
}
