package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.dockerfile.DockerfileWriter;
import dev.refit.patches.dockerfile.ImagePatches;
import dev.refit.patches.dockerfile.PatchesArchive;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.pipeline.rebuild.BuildKey;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.pipeline.rebuild.RebuildException;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.registry.it.Await;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.config.DockerfileStyle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker builder against the real engine and the embedded registry: the pushed image holds
 * exactly the patch result on top of the base, with provenance labels and the base's user; a
 * re-run with the same build key is skipped; build and push failures surface the engine's error.
 */
class DockerRebuilderIT {

  @TempDir Path tmp;
  private EngineFixture fx;
  private final List<String> progress = new CopyOnWriteArrayList<>();

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

  private DockerRebuilder rebuilder(ProgressListener listener) throws Exception {
    return DockerRebuilder.of(fx.docker, fx.client, "it", Files.createDirectories(tmp.resolve("rebuild")), listener);
  }

  @Test
  void rebuild_typicalPatch_pushesImageWithExactChangesProvenanceAndUser() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    PatchResult result = fx.typicalResult();
    RebuildRequest request = fx.request("app-api", base, "refit-it/app-api", result);

    RebuildResult built = rebuilder((s, phase, line) -> progress.add(s + " " + phase + " " + line)).rebuild(request);

    assertThat(built.skipped()).isFalse();
    assertThat(built.builder()).isEqualTo("docker");
    assertThat(built.buildKey()).isEqualTo(BuildKey.of(request, "docker"));
    Digest served = Await.result(fx.client.headManifest("refit-it/app-api", "apex"), "HEAD apex").orElseThrow().digest();
    assertThat(built.manifestDigest()).isEqualTo(served);
    assertThat(built.reference()).isEqualTo("refit-it/app-api:apex@" + served);
    assertThat(progress).anyMatch(l -> l.startsWith("app-api BUILD Step 1/"));
    assertThat(progress).anyMatch(l -> l.startsWith("app-api PUSH ") && l.contains("digest: " + served));
    assertThat(progress).as("base layers cross-mounted by the engine, not uploaded again: " + progress)
        .anyMatch(l -> l.startsWith("app-api PUSH ") && l.endsWith("Mounted from refit-it/app"));

    ImageFiles baseImage = ImageFiles.pull(fx.client, "refit-it/app", base.digest().toString(), tmp.resolve("layers"));
    ImageFiles patched = ImageFiles.pull(fx.client, "refit-it/app-api", "apex", tmp.resolve("layers"));
    int baseLayers = baseImage.layers.size();
    assertThat(patched.manifest.layers().subList(0, baseLayers)).as("base layers reused as they are")
        .isEqualTo(baseImage.manifest.layers());
    Map<String, ImageFiles.Entry> top = patched.filesystemFrom(baseLayers);
    Map<String, ImageFiles.Entry> fs = patched.filesystem();
    for (ChangedFile f : result.changed()) {
      assertThat(top).as(f.path() + " in the new layers").containsKey(f.path());
      ImageFiles.Entry e = fs.get(f.path());
      assertThat(e.type()).as(f.path()).isEqualTo('f');
      assertThat(e.sha256()).as(f.path() + " content").isEqualTo(f.sha256().toString());
      assertThat(Integer.toOctalString(e.mode())).as(f.path() + " mode").isEqualTo(Integer.toOctalString(f.mode()));
      assertThat(e.uid() + ":" + e.gid()).as(f.path() + " owner").isEqualTo(f.uid() + ":" + f.gid());
    }
    for (String d : result.deleted()) {
      assertThat(baseImage.filesystem()).as("base has " + d).containsKey(d);
      assertThat(fs.keySet()).as("deleted " + d).noneMatch(p -> p.equals(d) || p.startsWith(d + "/"));
    }
    assertThat(fs.get("srv/app").mode()).as("base directory metadata kept").isEqualTo(0750);
    assertThat(fs.get("srv/app").uid()).isEqualTo(1000);

    var run = patched.config.config();
    var baseRun = baseImage.config.config();
    assertThat(run.user()).isEqualTo("1000:1000");
    assertThat(run.entrypoint()).isEqualTo(baseRun.entrypoint());
    assertThat(run.cmd()).isEqualTo(baseRun.cmd());
    assertThat(run.env()).isEqualTo(baseRun.env());
    assertThat(run.workingDir()).isEqualTo("/srv/app");
    assertThat(run.labels())
        .containsEntry(Provenance.BASE_NAME, "refit-it/app:" + fx.run)
        .containsEntry(Provenance.BASE_DIGEST, base.digest().toString())
        .containsEntry(Provenance.BUILDER, "docker")
        .containsEntry(Provenance.VERSION, "it")
        .containsEntry(Provenance.BUILD_KEY, built.buildKey())
        .containsEntry(Provenance.PATCHES, Provenance.patchesJson(request.patches()));
    assertThat(run.labels().get(Provenance.PATCHES)).contains("\"revision\":\"2\"");
  }

  @Test
  void rebuild_fromApexStylePatchesArchive_appliesThePatchInTheEngine() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    Path patchFile = Files.writeString(tmp.resolve("I0009.patch"),
        "--- a/main.py\n+++ b/main.py\n@@ -1 +1 @@\n-print('old')\n+print('apex')\n");
    AppliedPatch patch = AppliedPatch.of("I0009", "file I0009.patch", Digest.sha256(Files.readAllBytes(patchFile)))
        .withPatchFile(patchFile, "srv/app");
    // The request carries no file changes: only the archive's ADD + RUN patch can change main.py.
    RebuildRequest request = new RebuildRequest("app-api", base, "refit-it/app-apex", "apex", List.of(patch),
        PatchResult.empty(), Map.of("dockerfile_style", "apex"));
    fx.request("app-api", base, "refit-it/app-apex", PatchResult.empty()); // registers the engine image for cleanup
    Path archive = PatchesArchive.write(new DockerfileWriter(DockerfileStyle.APEX).writeAll(List.of(
        new ImagePatches("app-api", base, "1000:1000", List.of(patch), PatchResult.empty()))),
        tmp.resolve(PatchesArchive.FILE_NAME)).path();

    RebuildResult built = rebuilder(ProgressListener.NONE).withContextSource(ContextSource.fromArchive(archive))
        .rebuild(request);

    ImageFiles image = ImageFiles.pull(fx.client, "refit-it/app-apex", built.manifestDigest().toString(),
        tmp.resolve("layers"));
    assertThat(image.filesystem().get("srv/app/main.py").sha256())
        .isEqualTo(Digest.sha256("print('apex')\n".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(image.config.config().user()).isEqualTo("1000:1000");
    assertThat(image.config.config().labels()).containsEntry(Provenance.BUILD_KEY, BuildKey.of(request, "docker"));
  }

  @Test
  void rebuild_twoImagesOnWorkerThreadsAtOnce_bothPublishTheirOwnChanges() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    DockerRebuilder shared = rebuilder(ProgressListener.NONE);
    RebuildRequest nova = fx.request("nova-api", base, "refit-it/nova-api",
        new PatchResult(List.of(fx.file("srv/app/main.py", "print('nova')\n", 0640, 1000, 1000)), List.of()));
    RebuildRequest glance = fx.request("glance-api", base, "refit-it/glance-api",
        new PatchResult(List.of(fx.file("srv/app/main.py", "print('glance')\n", 0640, 1000, 1000)), List.of()));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RebuildResult> a = pool.submit(() -> shared.rebuild(nova));
      Future<RebuildResult> b = pool.submit(() -> shared.rebuild(glance));

      for (var pair : List.of(Map.entry(a.get(5, TimeUnit.MINUTES), "nova"), Map.entry(b.get(5, TimeUnit.MINUTES), "glance"))) {
        RebuildResult r = pair.getKey();
        Map<String, ImageFiles.Entry> fs = ImageFiles.pull(fx.client, "refit-it/" + r.service(), "apex",
            tmp.resolve("layers")).filesystem();
        assertThat(fs.get("srv/app/main.py").sha256()).as(r.service())
            .isEqualTo(Digest.sha256(("print('" + pair.getValue() + "')\n").getBytes(StandardCharsets.UTF_8)).toString());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rebuild_emptyPatchResult_publishesTheBaseLayersWithProvenance() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    RebuildRequest request = fx.request("app-api", base, "refit-it/app-api", PatchResult.empty());

    RebuildResult built = rebuilder(ProgressListener.NONE).rebuild(request);

    ImageFiles baseImage = ImageFiles.pull(fx.client, "refit-it/app", base.digest().toString(), tmp.resolve("layers"));
    ImageFiles image = ImageFiles.pull(fx.client, "refit-it/app-api", built.manifestDigest().toString(),
        tmp.resolve("layers"));
    assertThat(image.manifest.layers()).isEqualTo(baseImage.manifest.layers());
    assertThat(image.config.config().user()).isEqualTo("1000:1000");
    assertThat(image.config.config().labels()).containsEntry(Provenance.BUILD_KEY, built.buildKey());
  }

  @Test
  void rebuild_sameBuildKeyAlreadyPublished_isSkippedWithoutEngineWork() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    RebuildRequest request = fx.request("app-api", base, "refit-it/app-api", fx.typicalResult());
    RebuildResult first = rebuilder(ProgressListener.NONE).rebuild(request);

    RebuildResult second = rebuilder((s, phase, line) -> progress.add(phase + " " + line)).rebuild(request);

    assertThat(second.skipped()).isTrue();
    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.buildKey()).isEqualTo(first.buildKey());
    assertThat(progress).noneMatch(l -> l.startsWith("BUILD Step") || l.startsWith("PUSH pushing"));

    RebuildResult changed = rebuilder(ProgressListener.NONE).rebuild(request.withOptions(Map.of("variant", "2")));
    assertThat(changed.skipped()).as("other options, other build key").isFalse();
    assertThat(changed.buildKey()).isNotEqualTo(first.buildKey());
  }

  @Test
  void rebuild_baseWithoutShell_failsWithTheEnginesBuildError() throws Exception {
    // The copy style deletes with RUN rm, which needs /bin/sh; this base has none.
    // A label unique to this run: the build's step images are new, not cached from an earlier run.
    ImageRef base = fx.pushBase("noshell", "RUN rm -rf /bin\nLABEL refit.it.run=" + fx.run + "\n");
    RebuildRequest request = fx.request("app-api", base, "refit-it/noshell-api", fx.typicalResult());
    String danglingBefore = EngineFixture.ok(fx.tools.docker("images", "-q", "-f", "dangling=true")).stdout();

    assertThatThrownBy(() -> rebuilder(ProgressListener.NONE).rebuild(request))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("docker build of app-api")
        .hasMessageContaining("/bin/sh");
    assertThat(Await.result(fx.client.headManifest("refit-it/noshell-api", "apex"), "HEAD apex"))
        .as("nothing published under apex").isEmpty();
    assertThat(EngineFixture.ok(fx.tools.docker("images", "-q", "-f", "dangling=true")).stdout().lines())
        .as("the failed build's step images are removed").allMatch(danglingBefore::contains);
  }

  @Test
  void rebuild_baseDigestUnknown_failsNamingTheBase() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    Digest missing = Digest.sha256("no such manifest".getBytes());
    RebuildRequest request = fx.request("app-api", base.withDigest(missing), "refit-it/app-api", fx.typicalResult());

    assertThatThrownBy(() -> rebuilder(ProgressListener.NONE).rebuild(request))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("app-api")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void rebuild_registryStopsBeforePush_failsWithThePushError() throws Exception {
    ImageRef base = fx.pushBase("app", "");
    RebuildRequest request = fx.request("app-api", base, "refit-it/app-api", fx.typicalResult());
    ProgressListener stopAtPush = (s, phase, line) -> {
      if (phase == ProgressListener.Phase.PUSH && line.startsWith("pushing ")) {
        fx.stopRegistry();
      }
      progress.add(phase + " " + line);
    };

    assertThatThrownBy(() -> rebuilder(stopAtPush).rebuild(request))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("docker push of " + fx.registry.hostPort() + "/refit-it/app-api:apex failed")
        .hasMessageContaining("connection refused");
    assertThat(progress).anyMatch(l -> l.startsWith("PUSH error: "));
  }
}
