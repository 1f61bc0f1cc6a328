package dev.refit.pipeline.cli;

import dev.refit.pipeline.cluster.ClusterNode;
import dev.refit.pipeline.cluster.ClusterOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The cluster options {@code prepare}, {@code mirror} and {@code worker} share, and the Vert.x they give: a
 * clustered one with {@code --cluster}, else a local one. Mixed in; not thread-safe (one per
 * command instance).
 */
final class ClusterFlags {
  @Option(names = "--cluster", description = "Join refit's cluster (Hazelcast, TCP/IP join):"
      + " prepare and mirror coordinate and the workers run the jobs.")
  boolean enabled;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address of this machine the cluster reaches it at (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--cluster-port", defaultValue = "5701", paramLabel = "PORT",
      description = "Hazelcast's port on --cluster-host (default: ${DEFAULT-VALUE}); never moved"
          + " to another when taken.")
  int port;

  @Option(names = "--cluster-bus-port", defaultValue = "0", paramLabel = "PORT",
      description = "The event bus's port on --cluster-host, which the other members send jobs"
          + " and events to (default: any free port; fix it to open it in a firewall).")
  int busPort;

  @Option(names = "--cluster-members", paramLabel = "HOST:PORT,...",
      description = "Members to join; none starts a cluster that others join.")
  String members;

  @Option(names = "--cluster-wait", defaultValue = "60s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "How long a job waits for a worker before it fails"
          + " (default: ${DEFAULT-VALUE}).")
  Duration workerWait;

  ClusterOptions options() {
    return ClusterOptions.parse(host, port, members, workerWait, busPort);
  }

  /** A Vert.x that joined the cluster with {@code --cluster}, else a local one. Blocking. */
  Vertx vertx() throws InterruptedException {
    return enabled ? ClusterNode.join(options(), Version.current()) : Vertx.vertx();
  }
}
