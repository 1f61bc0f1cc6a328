package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.patches.image.TestLayer;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.diff.JsonFieldsDoc;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.oci.json.Json;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit verify} through the real command line, on images {@code refit prepare} built
 * (daemonless) from the demo family served by a real embedded upstream: a good image, one with
 * an extra layer pushed on top under the same tag, one whose cached patch was altered, bad
 * references, and the JSON form. Each test works on its own image, so they share one prepare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyCommandTest {
  private static final String REPO = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX;
  private static final String NOVA_SERVERS =
      "/usr/lib/python3.6/site-packages/nova/api/openstack/compute/servers.py";

  private Path tmp;
  private Path cache;

  @BeforeAll
  void prepareOnce(@TempDir Path dir) throws Exception {
    tmp = dir;
    Vertx vertx = Vertx.vertx();
    try (InProcessRegistry upstream = InProcessRegistry.start(vertx,
        RegistryConfig.defaults(tmp.resolve("upstream")))) {
      DemoUpstream.seed(vertx, upstream, tmp.resolve("layout"));
      Path settings = DemoScenario.writeSettings(tmp.resolve("settings"));
      Path refitYaml = DemoUpstream.refitYaml(settings.getParent(), upstream,
          "nova-api, nova-compute, nova-conductor, neutron-server, novajoin-server");
      cache = tmp.resolve("cache");
      MainTest.Run prepared = MainTest.run("prepare", "-d", settings.toString(), "-c",
          refitYaml.toString(), "--cache-dir", cache.toString());
      assertThat(prepared.exitCode()).as(prepared.out() + prepared.err()).isZero();
    } finally {
      DemoUpstream.await(vertx.close());
    }
  }

  @AfterAll
  void noScratchLeft() throws Exception {
    try (var left = Files.list(Files.createDirectories(cache.resolve("verify")))) {
      assertThat(left).as("verify removes its run directory").isEmpty();
    }
  }

  private MainTest.Run verify(String image, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", image, "--cache-dir", cache.toString()));
    args.addAll(List.of(extra));
    return MainTest.run(args.toArray(String[]::new));
  }

  @Test
  void verify_goodDaemonlessImage_exits0_andNamesThePatchedFiles() {
    MainTest.Run r = verify(REPO + "nova-api", "--no-fetch");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^ok +changed +" + Pattern.quote(NOVA_SERVERS)
            + " +patch I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567$")
        .contains("builder  daemonless")
        .contains("verified: " + REPO + "nova-api:apex is its base plus 1 declared patch(es)")
        .doesNotContain("UNEXPLAINED");
  }

  @Test
  void verify_extraLayerAddingOneFile_exits1_andNamesThatFileOnly() throws Exception {
    String repo = REPO + "nova-compute";
    tamper(repo, "etc/nova/backdoor.conf");

    MainTest.Run r = verify(repo + ":apex");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).containsPattern("(?m)^UNEXPLAINED extra +/etc/nova/backdoor.conf: added file;"
        + " no patch writes it$").contains("1 unexplained difference(s) in " + repo + ":apex");
    assertThat(r.out().lines().filter(l -> l.startsWith("UNEXPLAINED"))).hasSize(1);
    assertThat(r.out()).containsPattern("(?m)^ok +changed +/usr/lib/python3.6/site-packages/nova/");

    JsonNode json = Json.mapper().readTree(verify(repo, "--output", "json").out());
    assertThat(json.get("verified").asBoolean()).isFalse();
    assertThat(json.get("unexplained")).hasSize(1);
    assertThat(json.at("/unexplained/0/kind").asText()).isEqualTo("extra");
    assertThat(json.at("/unexplained/0/subject").asText()).isEqualTo("/etc/nova/backdoor.conf");

    // Every field of docs/diff-json.md's verify-fields block, and nothing else, with its type.
    Map<String, Set<String>> documented = JsonFieldsDoc.documentedFields(
        Files.readString(Path.of("..", "docs", "diff-json.md")), "verify-fields");
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    JsonFieldsDoc.check(json, "", documented, problems, seen);
    assertThat(problems).isEmpty();
    assertThat(seen).containsAll(documented.keySet());
  }

  @Test
  void verify_cachedPatchBytesAltered_exits1_namingThePatch() throws Exception {
    String repo = REPO + "neutron-server";
    String declared = labels(repo).get(Provenance.PATCHES);
    JsonNode patch = Json.mapper().readTree(declared).get(0);
    Path copy = cache.resolve("patches/files")
        .resolve(Digest.parse(patch.get("sha256").asText()).hex() + ".patch");
    Files.writeString(copy, Files.readString(copy).replace("+", "+ "));

    MainTest.Run r = verify(repo);

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).containsPattern("(?m)^UNEXPLAINED patch +" + patch.get("id").asText()
            + ": its bytes in .* hash to sha256:[0-9a-f]{64}, not to the recorded "
            + patch.get("sha256").asText() + "; the cached patch was altered$")
        .contains("(not re-applied)")
        // What that patch wrote is then unexplained too.
        .containsPattern("(?m)^UNEXPLAINED changed +/usr/lib/python[0-9.]+/site-packages/neutron/");
  }

  @Test
  void verify_badReferences_exit2_withAClearMessage() {
    MainTest.Run missing = verify(REPO + "nova-api:nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("refit: error: no image " + REPO + "nova-api:nope in the local registry")
        .contains("refit: hint:").doesNotContain("\tat ");

    MainTest.Run invalid = verify("Not A Name");
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err()).contains("'Not A Name:apex' is not an image in the local registry");

    MainTest.Run notRefit = verify(REPO + "novajoin-server:" + DemoScenario.TAG);
    assertThat(notRefit.exitCode()).isEqualTo(2);
    assertThat(notRefit.err()).contains("has no " + Provenance.BASE_DIGEST + " label")
        .contains("name an image that 'refit prepare' built");

    MainTest.Run noStore = MainTest.run("verify", REPO + "nova-api", "--cache-dir",
        tmp.resolve("empty").toString());
    assertThat(noStore.exitCode()).isEqualTo(2);
    assertThat(noStore.err()).contains("no local registry store at " + tmp.resolve("empty/registry"));
  }

  @Test
  void verify_noRecordOfThePatching_exits2_sayingHowToGetOne() throws Exception {
    String repo = REPO + "nova-conductor";
    try (var records = Files.list(cache.resolve("applied/v1"))) {
      Path moved = Files.createDirectories(tmp.resolve("records"));
      for (Path f : records.toList()) {
        Files.move(f, moved.resolve(f.getFileName()));
      }
      MainTest.Run r = verify(repo);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("no record in " + cache + " of how " + repo + ":apex was patched")
          .contains("run 'refit prepare'");
      try (var back = Files.list(moved)) {
        for (Path f : back.toList()) {
          Files.move(f, cache.resolve("applied/v1").resolve(f.getFileName()));
        }
      }
    }
  }

  @Test
  void verify_json_isTheDocumentedSchema() throws Exception {
    MainTest.Run r = verify(REPO + "nova-api", "--output", "json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.get("schema").asText()).isEqualTo("refit.verify/v1");
    assertThat(json.get("image").asText()).isEqualTo(REPO + "nova-api:apex");
    assertThat(json.get("digest").asText()).isEqualTo(
        store().get(REPO + "nova-api", "apex").orElseThrow().digest().toString());
    assertThat(json.at("/base/name").asText()).isEqualTo(REPO + "nova-api");
    assertThat(json.at("/base/digest").asText()).isEqualTo(
        store().get(REPO + "nova-api", DemoScenario.TAG).orElseThrow().digest().toString());
    assertThat(json.get("builder").asText()).isEqualTo("daemonless");
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/patches/0/id").asText()).isEqualTo("I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
    assertThat(json.at("/patches/0/source").asText()).isEqualTo("FILE");
    assertThat(json.at("/patches/0/sha256").asText()).startsWith("sha256:");
    assertThat(json.at("/patches/0/reapplied").asBoolean()).isTrue();
    assertThat(json.get("explained")).extracting(e -> e.get("path").asText()).contains(NOVA_SERVERS);
    assertThat(json.get("explained")).allSatisfy(e -> {
      assertThat(e.get("change").asText()).isIn("added", "changed", "removed");
      assertThat(e.get("patch").asText()).isEqualTo("I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
    });
    assertThat(json.get("unexplained")).isEmpty();
  }

  private FsStore store() {
    return FsStore.open(cache.resolve("registry"), StoreOptions.defaults());
  }

  private Map<String, String> labels(String repo) throws Exception {
    FsStore store = store();
    Manifest m = Manifest.parse(store.get(repo, "apex").orElseThrow().bytes());
    return ImageConfig.parse(Files.readAllBytes(FsStore.blobFile(store.root(), m.config().digest())))
        .config().labels();
  }

  /**
   * Pushes one more layer, adding {@code path}, on top of {@code repo:apex}: the same config
   * labels and annotations, a new config and manifest, put under the same tag.
   */
  private void tamper(String repo, String path) throws Exception {
    FsStore store = store();
    Manifest apex = Manifest.parse(store.get(repo, "apex").orElseThrow().bytes());
    ImageConfig config = ImageConfig.parse(
        Files.readAllBytes(FsStore.blobFile(store.root(), apex.config().digest())));
    TestLayer.Built layer = TestLayer.create().file(path, "debug = true\n")
        .write(tmp.resolve("extra.tar.gz"), true);
    UpstreamImages blobs = new UpstreamImages(store);
    Descriptor blob = blobs.blob(repo, Files.readAllBytes(layer.file()), MediaType.OCI_LAYER_GZIP);
    byte[] tampered = config.withAppendedLayer(layer.diffId(),
        new ImageConfig.History(null, "tamper", null, null, false)).toJson();
    List<Descriptor> layers = new ArrayList<>(apex.layers());
    layers.add(blob);
    RawManifest raw = apex.withConfig(blobs.blob(repo, tampered, MediaType.OCI_CONFIG))
        .withLayers(layers).toRaw();
    store.put(repo, raw, "apex");
    assertThat(labels(repo)).isEqualTo(config.config().labels());
  }
}
