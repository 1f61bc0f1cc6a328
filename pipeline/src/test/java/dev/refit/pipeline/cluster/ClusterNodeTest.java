package dev.refit.pipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.local.FreeAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two real Hazelcast members on loopback: join, the version handshake, a taken port. */
class ClusterNodeTest {

  @Test
  void join_sameVersion_formsOneClusterWhoseBusReachesTheOtherMember() throws Exception {
    int first = port();
    Vertx a = ClusterNode.join(options(first, List.of()), "1.0");
    try {
      Vertx b = ClusterNode.join(options(port(), List.of("127.0.0.1:" + first)), "1.0");
      try {
        await(a.eventBus().<String>consumer("ping", m -> m.reply("pong from a")).completion());
        assertThat(await(b.eventBus().<String>request("ping", "hi")).body()).isEqualTo("pong from a");
      } finally {
        await(b.close());
      }
    } finally {
      await(a.close());
    }
  }

  @Test
  void join_fixedBusPort_theEventBusListensThere_andAClashWithTheHazelcastPortIsRefused() throws Exception {
    int hazelcast = port();
    int bus = port();
    Vertx a = ClusterNode.join(new ClusterOptions("127.0.0.1", hazelcast, List.of(), Duration.ofSeconds(5), bus), "1.0");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), bus)) {
      assertThat(s.isConnected()).as("the event bus listens on --cluster-bus-port %d", bus).isTrue();
    } finally {
      await(a.close());
    }
    assertThatThrownBy(() -> ClusterOptions.parse("127.0.0.1", 5701, "", Duration.ofSeconds(5), 5701))
        .isInstanceOf(RefitException.class)
        .hasMessageContaining("--cluster-bus-port 5701")
        .extracting(e -> ((RefitException) e).exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void join_otherVersion_isRefusedWithBothVersions() throws Exception {
    int first = port();
    Vertx a = ClusterNode.join(options(first, List.of()), "1.0");
    try {
      assertThatThrownBy(() -> ClusterNode.join(options(port(), List.of("127.0.0.1:" + first)), "2.0"))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("runs refit 2.0").hasMessageContaining("runs refit 1.0");
    } finally {
      await(a.close());
    }
  }

  @Test
  void join_portTaken_failsNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> ClusterNode.join(options(taken.getLocalPort(), List.of()), "1.0"))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("already in use");
    }
  }

  private static ClusterOptions options(int port, List<String> members) {
    return new ClusterOptions("127.0.0.1", port, members, Duration.ofSeconds(5));
  }

  private static int port() {
    String address = FreeAddress.loopback();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static <T> T await(Future<T> f) throws InterruptedException, ExecutionException,
      java.util.concurrent.TimeoutException {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
