package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.it.Await;
import dev.refit.registry.it.ExternalCommand;
import dev.refit.registry.it.ToolBox;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Test kit for the rebuilder ITs: the engine from DOCKER_HOST (bin/test starts it), an embedded
 * registry on a caller-owned Vert.x (so a test can stop the registry and keep its client), a
 * {@link RegistryClient} and a docker-java client, and a base image with a non-root user pushed
 * into the registry. Blocking; not thread-safe; one per test.
 */
final class EngineFixture implements AutoCloseable {

  final Path dir;
  final ToolBox tools;
  final Vertx vertx;
  final InProcessRegistry registry;
  final RegistryClient client;
  final DockerClient docker;
  final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> engineImages = new ArrayList<>();
  private boolean registryClosed;

  EngineFixture(Path dir) throws IOException {
    this.dir = dir;
    this.tools = ToolBox.in(Files.createDirectories(dir.resolve("tools")));
    tools.requireImage(ToolBox.BUSYBOX_IMAGE);
    this.vertx = Vertx.vertx();
    this.registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(Files.createDirectories(dir.resolve("registry"))));
    this.client = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withPlainHttpHosts(Set.of(registry.hostPort())).withDockerConfigDir(null));
    this.docker = DockerEngine.connect(tools.dockerHost(), tools.dockerConfigDir().toString());
  }

  /**
   * Builds a base from busybox with {@code extra} Dockerfile lines after a fixed app tree (owned
   * by 1000:1000, mode 0750 directory, a file to delete) and USER 1000:1000, pushes it as
   * {@code refit-it/<name>:<run>} and returns its digest-pinned reference.
   */
  ImageRef pushBase(String name, String extra) throws IOException {
    String tagged = registry.hostPort() + "/refit-it/" + name + ":" + run;
    Path context = Files.createDirectories(dir.resolve("base-" + name));
    Files.writeString(context.resolve("Dockerfile"), "FROM " + ToolBox.BUSYBOX_IMAGE + "\n"
        + "RUN mkdir -p /srv/app /var/lib/app && echo \"print('old')\" > /srv/app/main.py"
        + " && echo gone > /srv/app/obsolete.py && mkdir -p /srv/app/old && echo x > /srv/app/old/x.py"
        + " && chown -R 1000:1000 /srv/app && chmod 0750 /srv/app && chmod 0640 /srv/app/main.py"
        + " && echo motd > /etc/motd\n"
        + extra
        + "USER 1000:1000\n"
        + "ENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"echo hi\"]\nENV APP_HOME=/srv/app\nWORKDIR /srv/app\n");
    engineImages.add(tagged);
    ok(tools.docker("build", "-q", "--force-rm", "-t", tagged, context.toString()));
    ok(tools.docker("push", tagged));
    Descriptor pushed = Await.result(client.headManifest("refit-it/" + name, run), "HEAD base").orElseThrow();
    return ImageRef.parse(registry.hostPort() + "/refit-it/" + name + ":" + run + "@" + pushed.digest());
  }

  /** A changed file with {@code text} as content, staged in the fixture's work dir. */
  ChangedFile file(String path, String text, int mode, int uid, int gid) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path work = Files.createDirectories(dir.resolve("work"));
    Path content = Files.write(Files.createTempFile(work, "content-", ".bin"), bytes);
    return new ChangedFile(path, content, mode, uid, gid, bytes.length, Digest.sha256(bytes));
  }

  /** The patch result the ITs apply: modifications, new files (one in a new directory), special modes, deletions. */
  PatchResult typicalResult() throws IOException {
    return new PatchResult(List.of(
        file("etc/motd", "patched by refit\n", 0644, 0, 0),
        file("srv/app/main.py", "print('old')\nprint('patched')\n", 0640, 1000, 1000),
        file("srv/app/new module.py", "x = 1\n", 0644, 1000, 1000),
        file("usr/local/sbin/tool", "#!/bin/sh\necho tool\n", 04755, 0, 0),
        file("var/lib/app/state", "s\n", 0600, 1000, 2000)),
        List.of("bin/vi", "srv/app/obsolete.py", "srv/app/old"));
  }

  /** A request to rebuild {@code base} into {@code refit-it/<service>-<builder>:apex}. */
  RebuildRequest request(String service, ImageRef base, String targetRepository, PatchResult result) {
    AppliedPatch patch = AppliedPatch.of("I0001", "gerrit example/app~master~I0001 revision 2",
        Digest.sha256("I0001".getBytes(StandardCharsets.UTF_8)));
    engineImages.add(registry.hostPort() + "/" + targetRepository + ":apex");
    return new RebuildRequest(service, base, targetRepository, "apex", List.of(patch), result, Map.of());
  }

  /** Stops the registry (its store and the client's Vert.x stay). */
  void stopRegistry() {
    if (!registryClosed) {
      registryClosed = true;
      registry.close();
    }
  }

  static ExternalCommand.Result ok(ExternalCommand.Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  @Override
  public void close() throws IOException {
    try {
      for (String image : engineImages) {
        tools.docker("image", "rm", "-f", image);
      }
      docker.close();
    } finally {
      stopRegistry();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
