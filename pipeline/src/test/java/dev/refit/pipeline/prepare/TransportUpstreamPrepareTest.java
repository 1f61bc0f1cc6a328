package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.registry.layout.OciLayout;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit prepare} with a transport reference as the upstream: an OCI image layout (the
 * air-gapped mirror: the demo's TripleO-shaped images named {@code NAMESPACE/NAME:TAG} in one
 * layout directory, given relative to refit.yaml, no upstream registry at all), and
 * {@code docker://HOST/NAMESPACE} in front of a real embedded registry.
 */
class TransportUpstreamPrepareTest {
  @TempDir Path tmp;

  private Path mirror() throws Exception {
    OciLayout layout = OciLayout.create(Files.createDirectories(tmp.resolve("settings/mirror")));
    for (String repository : DemoScenario.writeImages(layout).values()) {
      layout.addManifest(layout.find(repository).orElseThrow(), repository + ":" + DemoScenario.TAG);
    }
    return layout.root();
  }

  private LoadedSettings settings(String upstream, String images) throws Exception {
    Path deploy = DemoScenario.writeSettings(tmp.resolve("settings"));
    Path refitYaml = Files.writeString(tmp.resolve("settings/refit.yaml"), String.join("\n",
        "upstream: " + upstream, images, ""));
    return SettingsLoader.load(deploy, Optional.empty(), Optional.of(refitYaml));
  }

  private static Map<String, ImageOutcome> byService(PrepareReport report) {
    return report.images().stream().collect(Collectors.toMap(ImageOutcome::service, o -> o));
  }

  @Test
  void prepare_layoutUpstream_discoversPatchesAndWorksOfflineWithoutTheLayout() throws Exception {
    Path mirror = mirror();
    LoadedSettings settings = settings("oci:mirror", "");
    Path cache = tmp.resolve("cache");

    PrepareReport first = UpstreamFixture.prepare(settings, PrepareOptions.of(cache));

    Map<String, ImageOutcome> rows = byService(first);
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(UpstreamFixture.SERVICES);
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server")) {
      assertThat(rows.get(s).action()).as(s + ": " + rows.get(s).reason()).isEqualTo(Action.PATCHED);
    }
    assertThat(rows.get("novajoin-server").action()).isEqualTo(Action.FETCHED);
    assertThat(rows.get("nova-api").upstream())
        .isEqualTo("oci:" + mirror + ":tripleomaster/centos-binary-nova-api:" + DemoScenario.TAG);
    assertThat(rows.get("nova-api").upstreamDigest()).isEqualTo(OciLayout.open(mirror).find("tripleomaster/centos-binary-nova-api:" + DemoScenario.TAG).orElseThrow().digest().toString());
    assertThat(UpstreamFixture.readFile(cache.resolve("registry"), tmp.resolve("read"), "nova-api", "apex",
        UpstreamFixture.NOVA_FILE)).contains("max_count = body.get('max_count', 1)");

    deleteTree(mirror);
    PrepareReport offline = UpstreamFixture.prepareOffline(settings(
        "oci:mirror", "images: [" + String.join(", ", UpstreamFixture.SERVICES) + "]"),
        PrepareOptions.of(cache));

    Map<String, ImageOutcome> again = byService(offline);
    assertThat(again.get("nova-api").action()).as(again.get("nova-api").reason()).isEqualTo(Action.UNCHANGED);
    assertThat(again.get("novajoin-server").action()).isEqualTo(Action.CACHED);
    assertThat(offline.exitCode()).isZero();
  }

  @Test
  void prepare_layoutUpstreamOnEmptyCacheOffline_listsTheLayoutImages() throws Exception {
    mirror();
    LoadedSettings settings = settings("oci:mirror", "images: [nova-api, neutron-server, keystone]");

    assertThatThrownBy(() -> UpstreamFixture.prepareOffline(settings,
        PrepareOptions.of(tmp.resolve("cache"))))
        .isInstanceOf(ExecutionException.class)
        .cause().hasMessageContaining("oci:" + tmp.resolve("settings/mirror")
            + ":tripleomaster/centos-binary-nova-api:" + DemoScenario.TAG)
        .hasMessageContaining("centos-binary-keystone");
  }

  @Test
  void prepare_archiveUpstream_failsSayingWhatToWrite() throws Exception {
    LoadedSettings settings = settings("oci-archive:images/all.tar", "images: [nova-api]");

    assertThatThrownBy(() -> UpstreamFixture.prepare(settings, PrepareOptions.of(tmp.resolve("cache"))))
        .isInstanceOf(ExecutionException.class)
        .cause().hasMessageContaining("oci-archive:images/all.tar").hasMessageContaining("skopeo copy");
  }

  @Test
  void prepare_dockerTransportUpstream_isTheRegistryForm() throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"))) {
      LoadedSettings settings = settings("docker://" + fixture.upstream.hostPort() + "/"
          + DemoScenario.NAMESPACE, "images: [nova-api, neutron-server, novajoin-server]");

      PrepareReport report = UpstreamFixture.prepare(settings, PrepareOptions.of(tmp.resolve("cache")));

      Map<String, ImageOutcome> rows = byService(report);
      assertThat(rows.get("nova-api").action()).as(rows.get("nova-api").reason()).isEqualTo(Action.PATCHED);
      assertThat(rows.get("nova-api").upstream()).isEqualTo(fixture.upstreamRef("nova-api"));
      assertThat(rows.get("novajoin-server").action()).isEqualTo(Action.FETCHED);
    }
  }

  @Test
  void prepare_dockerTransportNamingOneImage_failsSayingWhatToWrite() throws Exception {
    LoadedSettings settings = settings("docker://quay.io/tripleomaster/centos-binary-nova-api:1",
        "images: [nova-api]");

    assertThatThrownBy(() -> UpstreamFixture.prepare(settings, PrepareOptions.of(tmp.resolve("cache"))))
        .isInstanceOf(ExecutionException.class)
        .cause().hasMessageContaining("names one image").hasMessageContaining("docker://HOST/NAMESPACE");
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
