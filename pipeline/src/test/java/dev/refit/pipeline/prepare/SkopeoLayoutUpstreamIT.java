package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.registry.layout.OciLayout;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real peer writes the air-gapped mirror: skopeo copies the demo's images into an OCI layout
 * the way an operator would ({@code skopeo copy ... oci:mirror:NAMESPACE/NAME:TAG}, and one image
 * into a layout of its own named by the tag alone), and {@code refit prepare} reads that layout
 * as its upstream. Needs skopeo on the PATH, no Docker engine.
 */
class SkopeoLayoutUpstreamIT {
  @TempDir Path tmp;

  private static void skopeo(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("skopeo finished").isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  @Test
  void prepare_upstreamLayoutWrittenBySkopeo_patchesAndMirrorsByDigest() throws Exception {
    OciLayout source = OciLayout.create(Files.createDirectories(tmp.resolve("source")));
    Map<String, String> repositories = DemoScenario.writeImages(source);
    Path mirror = tmp.resolve("mirror");
    String novajoin = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + "novajoin-server";
    for (String repository : repositories.values()) {
      String target = repository.equals(novajoin)
          ? "oci:" + mirror.resolve(DemoScenario.PREFIX + "novajoin-server") + ":" + DemoScenario.TAG
          : "oci:" + mirror + ":" + repository + ":" + DemoScenario.TAG;
      skopeo("copy", "--quiet", "oci:" + source.root() + ":" + repository, target);
    }
    Path deploy = DemoScenario.writeSettings(tmp.resolve("settings"));
    Path refitYaml = Files.writeString(tmp.resolve("settings/refit.yaml"), String.join("\n",
        "upstream: oci:" + mirror,
        "images: [" + String.join(", ", UpstreamFixture.SERVICES) + "]", ""));
    LoadedSettings settings = SettingsLoader.load(deploy, Optional.empty(), Optional.of(refitYaml));
    Path cache = tmp.resolve("cache");

    PrepareReport report = UpstreamFixture.prepare(settings, PrepareOptions.of(cache));

    Map<String, ImageOutcome> rows = report.images().stream()
        .collect(Collectors.toMap(ImageOutcome::service, o -> o));
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server")) {
      assertThat(rows.get(s).action()).as(s + ": " + rows.get(s).reason()).isEqualTo(Action.PATCHED);
    }
    assertThat(rows.get("novajoin-server").action()).as(rows.get("novajoin-server").reason())
        .isEqualTo(Action.FETCHED);
    assertThat(rows.get("nova-api").upstreamDigest()).isEqualTo(skopeoDigest(mirror,
        DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + "nova-api:" + DemoScenario.TAG));
    assertThat(rows.get("novajoin-server").upstreamDigest()).isEqualTo(skopeoDigest(
        mirror.resolve(DemoScenario.PREFIX + "novajoin-server"), DemoScenario.TAG));
    assertThat(UpstreamFixture.readFile(cache.resolve("registry"), tmp.resolve("read"), "nova-api",
        "apex", UpstreamFixture.NOVA_FILE)).contains("max_count = body.get('max_count', 1)");

    PrepareReport again = UpstreamFixture.prepare(settings, PrepareOptions.of(cache));
    assertThat(again.images()).extracting(ImageOutcome::action).containsOnly(Action.UNCHANGED);
  }

  /** The manifest digest skopeo recorded in the layout's index.json under {@code name}. */
  private static String skopeoDigest(Path layout, String name) throws IOException {
    return OciLayout.open(layout).find(name).orElseThrow().digest().toString();
  }
}
