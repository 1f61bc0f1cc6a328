package dev.refit.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.refit.registry.it.RegistryProbe;
import dev.refit.registry.it.ToolBox;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-java 3.5 (httpclient5 transport, API pinned to 1.41 for engine 20.10) drives the engine
 * to push to and pull from refit's embedded registry. It also pins down a docker-java trap the
 * pipeline's rebuilder must handle: a failed push completes its callback normally, and the
 * failure is only visible as an error item in the progress stream.
 */
class DockerJavaIT {
  /** Engine 20.10 speaks API 1.41; docker-java must not ask for more. */
  private static final String API_VERSION = "1.41";

  @TempDir Path tmp;
  private ToolBox tools;
  private InProcessRegistry registry;
  private DockerClient docker;

  @BeforeEach
  void setUp() {
    tools = ToolBox.in(tmp.resolve("tools"));
    tools.requireImage(ToolBox.BUSYBOX_IMAGE);
    registry = InProcessRegistry.start(tmp.resolve("root"));
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(tools.dockerHost())
        .withApiVersion(API_VERSION)
        .withDockerConfig(tools.dockerConfigDir().toString())
        .build();
    docker = DockerClientImpl.getInstance(config,
        new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  @AfterEach
  void tearDown() throws IOException {
    try {
      if (docker != null) {
        docker.close();
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void pushAndPull_embeddedRegistry_digestMatchesRegistryAndRepoDigests() throws Exception {
    String repo = registry.hostPort() + "/refit/docker-java";
    docker.tagImageCmd(ToolBox.BUSYBOX_IMAGE, repo, "1").exec();

    PushProgress push = docker.pushImageCmd(repo).withTag("1").exec(new PushProgress());
    assertThat(push.awaitCompletion(2, TimeUnit.MINUTES)).as("push finished").isTrue();

    assertThat(push.errors).isEmpty();
    Digest served = RegistryProbe.of(registry.hostPort()).headManifest("refit/docker-java", "1");
    assertThat(push.digests).containsExactly(served.toString());

    docker.removeImageCmd(repo + ":1").exec();
    assertThat(docker.pullImageCmd(repo).withTag("1").exec(new PullImageResultCallback())
        .awaitCompletion(2, TimeUnit.MINUTES)).isTrue();
    assertThat(docker.inspectImageCmd(repo + ":1").exec().getRepoDigests())
        .contains(repo + "@" + served);
    docker.removeImageCmd(repo + ":1").exec();
  }

  @Test
  void push_registryDown_callbackCompletesNormallyWithErrorItem() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String repo = "127.0.0.1:" + closedPort + "/refit/nowhere";
    docker.tagImageCmd(ToolBox.BUSYBOX_IMAGE, repo, "1").exec();
    try {
      PushProgress push = docker.pushImageCmd(repo).withTag("1").exec(new PushProgress());

      assertThat(push.awaitCompletion(2, TimeUnit.MINUTES)).as("push finished").isTrue();
      assertThat(push.errors).as("failure only reported as stream items").isNotEmpty();
      assertThat(push.digests).isEmpty();
    } finally {
      docker.removeImageCmd(repo + ":1").exec();
    }
  }

  /** Collects the push progress stream: error items and the final digest (aux.Digest). */
  private static final class PushProgress extends ResultCallback.Adapter<PushResponseItem> {
    final List<String> errors = new ArrayList<>();
    final List<String> digests = new ArrayList<>();

    @Override
    public void onNext(PushResponseItem item) {
      if (item.isErrorIndicated()) {
        errors.add(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
      }
      if (item.getAux() != null && item.getAux().getDigest() != null) {
        digests.add(item.getAux().getDigest());
      }
    }
  }
}
