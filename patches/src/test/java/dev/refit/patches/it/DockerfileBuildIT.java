package dev.refit.patches.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.dockerfile.ArchiveResult;
import dev.refit.patches.dockerfile.DockerfileWriter;
import dev.refit.patches.dockerfile.ImagePatches;
import dev.refit.patches.dockerfile.PatchesArchive;
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
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.testkit.GitDiffs;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.config.DockerfileStyle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, done-when 3: a Dockerfile refit generates, built by the real Docker engine from the
 * archive's {@code containers/<service>/} folder, yields an image whose changed files equal the
 * {@link PatchResult} (bytes, mode, owner) and whose deleted paths are gone, with the base's
 * directories and user intact. The base is pushed to the embedded registry and pinned by digest.
 */
class DockerfileBuildIT {

  private static final String BUSYBOX = System.getProperty("refit.it.busybox", "refit-test/busybox:1");
  private static final Pattern BUILD_STEP = Pattern.compile("(?m)^ ---> ([0-9a-f]{12})$");
  private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  @TempDir Path temp;

  private DockerCli docker;
  private InProcessRegistry registry;
  private final List<String[]> cleanups = new ArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void engine() throws IOException {
    assumeThat(System.getenv("DOCKER_HOST")).as("DOCKER_HOST (bin/test starts an engine)").isNotBlank();
    docker = new DockerCli(Files.createDirectories(temp.resolve("cli")));
    registry = InProcessRegistry.start(Files.createDirectories(temp.resolve("registry")));
  }

  @AfterEach
  void cleanUp() {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      docker.quietly(cleanups.get(i));
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void copyStyle_builtImage_hasExactlyThePatchResult() throws Exception {
    ImageRef base = pushBase();
    Path work = Files.createDirectories(temp.resolve("work"));
    List<ChangedFile> changed = List.of(
        file(work, "srv/app/main.py", "print('patched')\n", 0640, 1000, 1000),
        file(work, "srv/app/new module.py", "x = 1\n", 0644, 1000, 1000),
        file(work, "etc/motd", "patched by refit\n", 0644, 0, 0),
        file(work, "opt/my app/$HOME's \"q\".txt", "odd name\n", 0600, 0, 0),
        file(work, "usr/local/sbin/tool", "#!/bin/sh\necho tool\n", 04755, 0, 0),
        file(work, "var/lib/app/state", "s\n", 0600, 1000, 2000));
    List<String> deleted = List.of("srv/app/obsolete.py", "bin/vi", "root");
    PatchResult result = new PatchResult(changed, deleted);
    String oddSource = "file \"$HOME\\it's.patch\" `x`";
    ImagePatches image = new ImagePatches("app-api", base, "1000:1000",
        List.of(patch("I0001"), AppliedPatch.of("I0002", oddSource, Digest.sha256(new byte[] {2}))), result);

    String tag = build(image, DockerfileStyle.COPY);

    Map<String, Entry> fs = export(tag);
    assertMatches(fs, result);
    // The base's own directory metadata survives the COPY into it.
    assertThat(fs.get("srv/app").mode()).isEqualTo(0750);
    assertThat(fs.get("srv/app").uid()).isEqualTo(1000);
    assertThat(fs.get("tmp").mode()).isEqualTo(01777);
    assertThat(fs.get("bin/busybox").file()).isTrue();
    assertThat(docker.ok(null, "image", "inspect", "-f", "{{.Config.User}}", tag)).isEqualTo("1000:1000");
    assertThat(docker.ok(null, "image", "inspect", "-f",
        "{{index .Config.Labels \"dev.refit.patch.2.id\"}} {{index .Config.Labels \"org.opencontainers.image.base.digest\"}}", tag))
        .isEqualTo("I0002 " + base.digest());
    assertThat(docker.ok(null, "image", "inspect", "-f", "{{index .Config.Labels \"dev.refit.patch.2.source\"}}", tag))
        .isEqualTo(oddSource);
  }

  @Test
  void apexStyle_appliesThePatchAndFailsLoudlyWhenItDoesNotApply() throws Exception {
    ImageRef base = pushBase();
    Path good = Files.writeString(temp.resolve("good.patch"),
        "--- a/main.py\n+++ b/main.py\n@@ -1 +1 @@\n-print('old')\n+print('apex')\n");
    ImagePatches image = new ImagePatches("app-api", base, "1000:1000",
        List.of(patch("I0003").withPatchFile(good, "srv/app")), PatchResult.empty());

    String tag = build(image, DockerfileStyle.APEX);

    Map<String, Entry> fs = export(tag);
    assertThat(fs.get("srv/app/main.py").sha256())
        .isEqualTo(Digest.sha256("print('apex')\n".getBytes(StandardCharsets.UTF_8)));

    Path bad = Files.writeString(temp.resolve("bad.patch"),
        "--- a/main.py\n+++ b/main.py\n@@ -1 +1 @@\n-print('something else')\n+print('apex')\n");
    ImagePatches failing = new ImagePatches("app-api", base, "1000:1000",
        List.of(patch("I0004").withPatchFile(bad, "srv/app")), PatchResult.empty());
    DockerCli.Result r = buildResult(failing, DockerfileStyle.APEX, "refit-it/apex-fail:" + run);
    assertThat(r.exit()).as("docker build of a patch that does not apply").isNotZero();
  }

  @Test
  void engineResult_overTheRegistryImage_isWhatTheBuiltImageHolds() throws Exception {
    ImageRef base = pushBase();
    byte[] patchBytes = GitDiffs.sampleAppDiff(temp);
    Path work = Files.createDirectories(temp.resolve("engine-work"));
    RegistryClient client = RegistryClient.create(registry.vertx(), registry.hostPort(),
        ClientOptions.defaults().withPlainHttpHosts(Set.of(registry.hostPort())).withDockerConfigDir(null));
    RegistryImage pulled = RegistryImage.load(new BlockingRegistry(client, Duration.ofMinutes(1)), "app-api",
        base.repository(), base.digest().toString(), Files.createDirectories(temp.resolve("pull")));
    FileSource files = ImageFileSource.open(pulled, PathRequest.of(List.of("srv/app")),
        new LayerCache(Files.createDirectories(temp.resolve("layers"))));
    PatchOptions options = PatchOptions.defaults();
    PatchResult result = new PatchEngine(options).apply(
        ParsedPatch.parse(new ByteArrayInputStream(patchBytes), "it.patch", options), files, "srv/app", work, "app-api");
    assertThat(result.changed()).extracting(ChangedFile::path)
        .containsExactly("srv/app/main.py", "srv/app/pkg/new.py", "srv/app/run.sh");
    assertThat(result.deleted()).containsExactly("srv/app/obsolete.py");
    ImagePatches image = new ImagePatches("app-api", base, pulled.config().config().user(),
        List.of(AppliedPatch.of("I0005", "file it.patch", Digest.sha256(patchBytes))), result);

    Map<String, Entry> fs = export(build(image, DockerfileStyle.COPY));

    assertMatches(fs, result);
    assertThat(fs.get("srv/app/main.py").uid()).as("owner inherited from the base file").isEqualTo(1000);
    assertThat(fs.get("srv/app/run.sh").mode()).as("mode from the git header").isEqualTo(0755);
  }

  /** Every changed file has the result's bytes, mode and owner; every deleted path is gone. */
  private static void assertMatches(Map<String, Entry> fs, PatchResult result) {
    for (ChangedFile f : result.changed()) {
      Entry e = fs.get(f.path());
      assertThat(e).as(f.path()).isNotNull();
      assertThat(e.file()).as(f.path() + " is a regular file").isTrue();
      assertThat(e.sha256()).as(f.path() + " content").isEqualTo(f.sha256());
      assertThat(Integer.toOctalString(e.mode())).as(f.path() + " mode").isEqualTo(Integer.toOctalString(f.mode()));
      assertThat(e.uid() + ":" + e.gid()).as(f.path() + " owner").isEqualTo(f.uid() + ":" + f.gid());
    }
    for (String d : result.deleted()) {
      assertThat(fs.keySet()).as("deleted " + d).noneMatch(p -> p.equals(d) || p.startsWith(d + "/"));
    }
  }

  /**
   * Builds a base with a non-root user and a directory of unusual mode and owner, pushes it to the
   * embedded registry and returns its digest-pinned reference there.
   */
  private ImageRef pushBase() {
    String baseTag = registry.hostPort() + "/refit-it/base:" + run;
    String dockerfile = "FROM " + BUSYBOX + "\n"
        + "RUN mkdir -p /srv/app && echo \"print('old')\" > /srv/app/main.py && echo gone > /srv/app/obsolete.py"
        + " && chown -R 1000:1000 /srv/app && chmod 0750 /srv/app && chmod 0640 /srv/app/main.py"
        + " && echo motd > /etc/motd\n"
        + "USER 1000:1000\n";
    cleanups.add(new String[] {"image", "rm", "-f", baseTag});
    docker.ok(dockerfile.getBytes(StandardCharsets.UTF_8), "build", "--force-rm", "-q", "-t", baseTag, "-");
    String pushed = docker.ok(null, "push", baseTag);
    Matcher m = PUSHED_DIGEST.matcher(pushed);
    assertThat(m.find()).as("digest in push output:\n" + pushed).isTrue();
    return ImageRef.parse(registry.hostPort() + "/refit-it/base@" + m.group(1));
  }

  private String build(ImagePatches image, DockerfileStyle style) throws IOException {
    String tag = "refit-it/" + image.service() + ":" + run + "-" + style.name().toLowerCase();
    DockerCli.Result r = buildResult(image, style, tag);
    assertThat(r.exit()).as("docker build failed:\n" + r.out() + "\n" + r.stderr()).isZero();
    return tag;
  }

  /** Writes the archive, cuts the service's folder out as a build context and builds it. */
  private DockerCli.Result buildResult(ImagePatches image, DockerfileStyle style, String tag) throws IOException {
    Path out = Files.createTempDirectory(temp, "archive-").resolve(PatchesArchive.FILE_NAME);
    ArchiveResult archive = PatchesArchive.write(new DockerfileWriter(style).writeAll(List.of(image)), out);
    byte[] context = contextOf(archive.path(), PatchesArchive.TOP + image.service() + "/");
    cleanups.add(new String[] {"image", "rm", "-f", tag});
    DockerCli.Result r = docker.run(context, "build", "--force-rm", "-t", tag, "-");
    if (r.exit() != 0) {
      // A failed classic build leaves its finished steps as untagged images; remove exactly those.
      Matcher step = BUILD_STEP.matcher(r.out());
      while (step.find()) {
        cleanups.add(new String[] {"image", "rm", step.group(1)});
      }
    }
    return r;
  }

  /** The entries below {@code prefix} of the gzipped archive, re-rooted, as a plain tar. */
  private static byte[] contextOf(Path archive, String prefix) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)));
        TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (!e.getName().startsWith(prefix) || e.getName().equals(prefix)) {
          continue;
        }
        e.setName(e.getName().substring(prefix.length()));
        out.putArchiveEntry(e);
        if (e.isFile()) {
          in.transferTo(out);
        }
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A container's filesystem from {@code docker export}: path (no leading '/') to metadata. */
  private Map<String, Entry> export(String tag) throws IOException {
    String id = docker.ok(null, "create", tag);
    cleanups.add(new String[] {"rm", "-f", id});
    DockerCli.Result r = docker.run(null, "export", id);
    assertThat(r.exit()).as("docker export: " + r.stderr()).isZero();
    Map<String, Entry> fs = new HashMap<>();
    try (InputStream raw = Files.newInputStream(r.stdout());
        TarArchiveInputStream tar = new TarArchiveInputStream(raw, StandardCharsets.UTF_8.name())) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
        Digest sha = e.isFile() ? Digest.sha256(tar.readAllBytes()) : null;
        fs.put(name, new Entry(e.isFile(), e.getMode() & 07777, (int) e.getLongUserId(), (int) e.getLongGroupId(), sha));
      }
    }
    return fs;
  }

  private record Entry(boolean file, int mode, int uid, int gid, Digest sha256) {}

  private static ChangedFile file(Path work, String path, String text, int mode, int uid, int gid) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path content = Files.write(Files.createTempFile(work, "content-", ".bin"), bytes);
    return new ChangedFile(path, content, mode, uid, gid, bytes.length, Digest.sha256(bytes));
  }

  private static AppliedPatch patch(String id) {
    return AppliedPatch.of(id, "file " + id + ".patch", Digest.sha256(id.getBytes(StandardCharsets.UTF_8)));
  }
}
