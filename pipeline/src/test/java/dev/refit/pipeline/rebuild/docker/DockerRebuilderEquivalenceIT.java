package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.ParsedPatch;
import dev.refit.patches.engine.PatchEngine;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.image.ImageFileSource;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.image.RegistryImage;
import dev.refit.pipeline.rebuild.BaseFiles;
import dev.refit.pipeline.rebuild.DaemonlessRebuilder;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.testkit.GitDiffs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 3, "Equivalence": the same patch result applied to the same base by the
 * {@code docker} builder (engine, Dockerfile) and the {@code daemonless} builder (jib-core, one
 * delta layer) changes the filesystem in the same way: the merged filesystem of each result,
 * compared with the base's, differs in the same paths with the same type, content, mode and owner.
 */
class DockerRebuilderEquivalenceIT {

  @TempDir Path tmp;
  private EngineFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new EngineFixture(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void bothBuilders_samePatchResult_changeTheFilesystemIdentically() throws Exception {
    PatchResult typical = fx.typicalResult();
    // Special permission bits have their own test below.
    PatchResult regular = new PatchResult(
        typical.changed().stream().filter(f -> (f.mode() & 07000) == 0).toList(), typical.deleted());
    assertEquivalent(regular);
  }

  @Test
  void bothBuilders_emptyPatchResult_changeNothing() throws Exception {
    assertEquivalent(PatchResult.empty());
  }

  /**
   * setuid, setgid and sticky bits must survive both builders (kolla images carry setuid helpers
   * such as sudo). The daemonless builder writes them itself (LayerWriter); jib's FilePermissions
   * holds only the nine rwx bits, so the jib builder rewrites its layer (FullModeLayer).
   */
  @Test
  void bothBuilders_specialPermissionBits_areKeptIdentically() throws Exception {
    assertEquivalent(new PatchResult(List.of(
        fx.file("usr/local/sbin/tool", "#!/bin/sh\necho tool\n", 04755, 0, 0),
        fx.file("usr/local/bin/grouped", "#!/bin/sh\necho g\n", 02755, 0, 1000),
        fx.file("srv/app/shared", "s\n", 01777, 1000, 1000)), List.of()));
  }

  /**
   * The result of the real patch engine over the base pulled from the registry, for a real
   * {@code git diff}: a modification, a deletion, a new file in a new directory (owner inherited
   * from the project directory) and a new executable.
   */
  @Test
  void bothBuilders_patchEngineResultOfAGitDiff_changeTheFilesystemIdentically() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    byte[] diff = GitDiffs.sampleAppDiff(tmp);
    RegistryImage pulled = RegistryImage.load(new dev.refit.registry.client.BlockingRegistry(fx.client,
        Duration.ofMinutes(1)), "app-api", base.repository(), base.digest().toString(),
        Files.createDirectories(tmp.resolve("pull")));
    FileSource files = ImageFileSource.open(pulled, PathRequest.of(List.of("srv/app")),
        new LayerCache(Files.createDirectories(tmp.resolve("engine-layers"))));
    PatchOptions options = PatchOptions.defaults();
    PatchResult result = new PatchEngine(options).apply(
        ParsedPatch.parse(new ByteArrayInputStream(diff), "it.patch", options), files, "srv/app",
        Files.createDirectories(tmp.resolve("engine-work")), "app-api");
    assertThat(result.changed()).extracting(ChangedFile::path)
        .containsExactly("srv/app/main.py", "srv/app/pkg/new.py", "srv/app/run.sh");

    assertEquivalent(base, result);
  }

  private void assertEquivalent(PatchResult result) throws Exception {
    assertEquivalent(fx.pushBase("app", ""), result);
  }

  private void assertEquivalent(ImageRef base, PatchResult result) throws Exception {
    Rebuilder docker = DockerRebuilder.of(fx.docker, fx.client, "it",
        Files.createDirectories(tmp.resolve("docker-work")), ProgressListener.NONE);
    Rebuilder daemonless = DaemonlessRebuilder.of(fx.client, Files.createDirectories(tmp.resolve("jib-work")), "it")
        .withBaseFiles(BaseFiles.fromRegistry(new dev.refit.registry.client.BlockingRegistry(fx.client, Duration.ofMinutes(2)),
        new LayerCache(Files.createDirectories(tmp.resolve("layer-cache"))),
        Files.createDirectories(tmp.resolve("base-pull"))));

    RebuildResult byDocker = docker.rebuild(fx.request("app-api", base, "refit-it/app-api-docker", result));
    RebuildResult byJib = daemonless.rebuild(fx.request("app-api", base, "refit-it/app-api-daemonless", result));

    Path layers = tmp.resolve("layers");
    Map<String, ImageFiles.Entry> upstream =
        ImageFiles.pull(fx.client, "refit-it/app", base.digest().toString(), layers).filesystem();
    Map<String, ImageFiles.Entry> dockerDiff = ImageFiles.diff(upstream,
        ImageFiles.pull(fx.client, "refit-it/app-api-docker", byDocker.manifestDigest().toString(), layers).filesystem());
    Map<String, ImageFiles.Entry> jibDiff = ImageFiles.diff(upstream,
        ImageFiles.pull(fx.client, "refit-it/app-api-daemonless", byJib.manifestDigest().toString(), layers).filesystem());

    // Not vacuous: every change of the result shows up, so equal diffs mean equal changes.
    for (ChangedFile f : result.changed()) {
      assertThat(dockerDiff).as("docker diff has " + f.path()).containsKey(f.path());
      assertThat(Integer.toOctalString(dockerDiff.get(f.path()).mode())).as("docker mode of " + f.path())
          .isEqualTo(Integer.toOctalString(f.mode()));
      assertThat(dockerDiff.get(f.path()).sha256()).as("docker content of " + f.path()).isEqualTo(f.sha256().toString());
    }
    for (String d : result.deleted()) {
      assertThat(dockerDiff).as("docker diff removes " + d).containsKey("- " + d);
    }
    if (result.isEmpty()) {
      assertThat(dockerDiff).as("docker changes nothing for an empty result").isEmpty();
    }
    assertThat(jibDiff).as("daemonless vs upstream, compared with docker vs upstream")
        .containsExactlyEntriesOf(dockerDiff);
    assertThat(byDocker.manifestDigest()).as("two builders, two images").isNotEqualTo(byJib.manifestDigest());
  }
}
