package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster options' usage errors: each says what is wrong and what to do, without a trace. */
class WorkerCommandTest {
  @TempDir Path tmp;

  @Test
  void worker_withoutCluster_exits2AskingForIt() {
    MainTest.Run r = MainTest.run("worker", "--cache-dir", tmp.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("refit worker runs only in a cluster").contains("add --cluster")
        .doesNotContain("\tat ");
  }

  @Test
  void worker_badMember_exits2NamingIt() {
    MainTest.Run r = MainTest.run("worker", "--cluster", "--cluster-members", "10.0.0.5:70000",
        "--cache-dir", tmp.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'10.0.0.5:70000' is not HOST:PORT");
  }

  @Test
  void worker_portTaken_exits1NamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      MainTest.Run r = MainTest.run("worker", "--cluster", "--cluster-port",
          String.valueOf(taken.getLocalPort()), "--cache-dir", tmp.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("127.0.0.1:" + taken.getLocalPort() + ": the port is already in use")
          .contains("--cluster-port").doesNotContain("\tat ");
    }
  }

  @Test
  void prepare_clusterWithEmbeddedStore_exits2BeforeJoining() throws Exception {
    Path settings = DemoScenario.writeSettings(tmp.resolve("settings"));
    Path refitYaml = Files.writeString(tmp.resolve("refit.yaml"),
        dev.refit.pipeline.local.FreeAddress.refitYamlLines() + "\n");
    MainTest.Run r = MainTest.run("prepare", "-d", settings.toString(), "-c", refitYaml.toString(),
        "--cache-dir", tmp.resolve("cache").toString(), "--cluster", "--registry", "embedded");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("the embedded store serves one machine")
        .contains("--registry http://HOST:PORT");
  }
}
