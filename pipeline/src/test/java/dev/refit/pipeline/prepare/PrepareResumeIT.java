package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreLock;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.store.fs.VerifyReport;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumability: {@code refit prepare} in a child JVM is killed with SIGKILL right after its
 * first patched image, then run again here. The rerun must finish the job without redoing the
 * images finished before the kill, leave every {@code :apex} tag complete and no stale run
 * directory. An IT because it spawns a JVM and takes a while.
 */
class PrepareResumeIT {
  private static final List<String> PATCHED =
      List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server");

  @TempDir Path tmp;

  @Test
  void prepare_killedAfterFirstPatchedImage_rerunFinishesWithoutRedoingIt() throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"))) {
      // One worker thread: images are patched and rebuilt one after another, so a kill after
      // the first patched image lands with others still to do.
      Files.writeString(fixture.refitYaml, Files.readString(fixture.refitYaml) + "concurrency: 1\n");
      Path cache = tmp.resolve("cache");
      Path childErr = tmp.resolve("child.err");

      Map<String, String> finishedBeforeKill = runAndKillAfterFirstPatched(fixture, cache, childErr);

      assertThat(finishedBeforeKill).as(Files.readString(childErr)).containsValue("patched");
      assertThat(finishedBeforeKill.size()).as("killed before the last image finished: "
          + finishedBeforeKill).isLessThan(UpstreamFixture.SERVICES.size());
      assertThat(runDirs(cache)).as("the killed run left its run directory").isNotEmpty();
      // The fetch index is saved per image, not at the end: what was fetched before the kill is known.
      assertThat(CacheIndex.loadFrom(cache).entries().keySet()).containsAll(
          finishedBeforeKill.keySet().stream().map(fixture::upstreamRef).toList());
      // The OS released the embedded store's lock with the process.
      StoreLock.acquire(cache.resolve("registry")).close();

      PrepareReport again = UpstreamFixture.prepare(fixture.settings(), PrepareOptions.of(cache));

      Map<String, ImageOutcome> rows = again.images().stream()
          .collect(Collectors.toMap(ImageOutcome::service, o -> o));
      assertThat(again.exitCode()).as(again.table()).isZero();
      finishedBeforeKill.keySet().forEach(s -> assertThat(rows.get(s).action())
          .as(s + " finished before the kill: not redone").isEqualTo(Action.UNCHANGED));
      for (String s : PATCHED) {
        assertThat(rows.get(s).action()).as(s).isIn(Action.PATCHED, Action.UNCHANGED);
        assertThat(rows.get(s).apexDigest()).as(s).startsWith("sha256:");
      }
      assertThat(rows.get("novajoin-server").action()).isIn(Action.FETCHED, Action.UNCHANGED);
      assertThat(runDirs(cache)).as("stale run directory removed").isEmpty();
      assertApexComplete(cache.resolve("registry"), rows);
    }
  }

  /**
   * Starts {@code refit prepare --output json} in a child JVM, reads its JSON lines and kills it
   * (SIGKILL) at the first {@code result} with action {@code patched}. Returns the images that
   * had finished (result or failure event) by then, with their action.
   */
  private Map<String, String> runAndKillAfterFirstPatched(UpstreamFixture fixture, Path cache,
      Path childErr) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "-cp", System.getProperty("java.class.path"), "dev.refit.pipeline.cli.Main",
        "prepare", "-d", fixture.settingsFile.toString(), "-c", fixture.refitYaml.toString(),
        "--cache-dir", cache.toString(), "--output", "json"));
    Process child = new ProcessBuilder(command).redirectError(childErr.toFile()).start();
    Map<String, String> finished = new LinkedHashMap<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        JsonObject event = new JsonObject(line);
        if (JobEvents.isFinal(event)) {
          finished.put(event.getString("service"), event.getString("action"));
          if ("patched".equals(event.getString("action"))) {
            child.destroyForcibly();
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    return finished;
  }

  private static List<Path> runDirs(Path cache) throws Exception {
    try (var list = Files.list(cache)) {
      return list.filter(p -> p.getFileName().toString().startsWith(RunDir.PREFIX)).toList();
    }
  }

  /** Every :apex tag resolves to a manifest whose config and layers are all in the store. */
  private static void assertApexComplete(Path root, Map<String, ImageOutcome> rows) {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    VerifyReport verified = new StoreVerifier(store).verify();
    assertThat(verified.ok()).as(verified.toString()).isTrue();
    for (String s : PATCHED) {
      String repository = DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + s;
      RawManifest apex = store.get(repository, "apex").orElseThrow(
          () -> new AssertionError(repository + ":apex is missing"));
      assertThat(apex.digest().toString()).isEqualTo(rows.get(s).apexDigest());
      for (Descriptor d : Manifest.parse(apex.bytes()).references()) {
        assertThat(store.stat(d.digest())).as(repository + ":apex needs " + d.digest()).isPresent();
      }
    }
  }
}
