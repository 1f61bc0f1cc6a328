package dev.refit.pipeline.cluster;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one node joins refit's cluster: the address Hazelcast and the event bus listen on, the
 * members it asks first (Hazelcast's TCP/IP join; no multicast), and how long a coordinator
 * waits for a worker to take a job. Immutable; thread-safe.
 *
 * @param host the address this node listens on and announces, e.g. {@code 10.0.0.5}
 * @param port Hazelcast's port on {@code host}; never moved to the next free one
 * @param members {@code host:port} of the members to join; empty starts a cluster alone
 * @param workerWait how long a job waits for a worker before it fails
 * @param busPort the event bus's port on {@code host}, where the other members send messages;
 *     0 for any free port
 */
public record ClusterOptions(String host, int port, List<String> members, Duration workerWait,
    int busPort) {
  /** Hazelcast's usual port. */
  public static final int DEFAULT_PORT = 5701;
  /** How long a coordinator's job waits for a worker by default. */
  public static final Duration DEFAULT_WORKER_WAIT = Duration.ofMinutes(1);

  public ClusterOptions {
    Objects.requireNonNull(host, "host");
    members = List.copyOf(members);
    Objects.requireNonNull(workerWait, "workerWait");
  }

  /** Options whose event bus listens on any free port. */
  public ClusterOptions(String host, int port, List<String> members, Duration workerWait) {
    this(host, port, members, workerWait, 0);
  }

  /**
   * The options from the command line: {@code members} is {@code HOST:PORT,...} (a member without
   * a port uses {@link #DEFAULT_PORT}); a bad port or member fails with exit 2.
   */
  public static ClusterOptions parse(String host, int port, String members, Duration workerWait,
      int busPort) {
    if (port < 1 || port > 65535) {
      throw new RefitException("--cluster-port " + port + " is not a TCP port",
          "use a port from 1 to 65535 (default " + DEFAULT_PORT + ")", ExitCode.USAGE);
    }
    if (busPort < 0 || busPort > 65535 || busPort == port) {
      throw new RefitException("--cluster-bus-port " + busPort + " is not a free TCP port beside"
          + " --cluster-port " + port,
          "use a port from 1 to 65535 other than --cluster-port, or 0 for any free port",
          ExitCode.USAGE);
    }
    List<String> list = new ArrayList<>();
    for (String member : members == null ? new String[0] : members.split(",")) {
      String m = member.strip();
      if (m.isEmpty()) {
        continue;
      }
      int colon = m.lastIndexOf(':');
      String memberHost = colon < 0 ? m : m.substring(0, colon);
      String memberPort = colon < 0 ? String.valueOf(DEFAULT_PORT) : m.substring(colon + 1);
      if (memberHost.isEmpty() || !memberPort.matches("[0-9]{1,5}")
          || Integer.parseInt(memberPort) < 1 || Integer.parseInt(memberPort) > 65535) {
        throw new RefitException("--cluster-members: '" + m + "' is not HOST:PORT",
            "write the members as HOST:PORT,HOST:PORT, e.g. 10.0.0.5:5701,10.0.0.6:5701",
            ExitCode.USAGE);
      }
      list.add(memberHost + ":" + memberPort);
    }
    return new ClusterOptions(host, port, list, workerWait, busPort);
  }

  /** {@code host:port} of this node. */
  public String self() {
    return host + ":" + port;
  }
}
