package dev.refit.pipeline.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.refit.error.Causes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Starts a Vert.x whose event bus is clustered over Hazelcast: TCP/IP join with the given
 * members (multicast off), a fixed port, and then the version handshake, so a node of another
 * refit version leaves at once with the reason. Hazelcast's own logging stays at WARN.
 * Blocking; call {@link #join} from a plain thread (the command's main thread).
 */
public final class ClusterNode {
  /** Cluster-wide map holding the refit version every member must run. */
  static final String HANDSHAKE_MAP = "refit.cluster";
  private static final String VERSION_KEY = "version";

  private ClusterNode() {}

  /**
   * A clustered Vert.x that joined and passed the handshake; a {@link ClusterException} when the
   * cluster cannot form or runs another refit version (this node has left it again then).
   */
  public static Vertx join(ClusterOptions options, String version) throws InterruptedException {
    quietLogging();
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(options));
    VertxOptions vertxOptions = new VertxOptions().setEventBusOptions(
        new EventBusOptions().setHost(options.host()).setClusterPublicHost(options.host())
            .setPort(options.busPort()));
    Vertx vertx;
    try {
      vertx = await(Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered());
    } catch (ExecutionException | TimeoutException e) {
      throw cannotForm(options, e.getCause() == null ? e : e.getCause());
    }
    String existing;
    try {
      // The first member records its version; every later one must match it.
      existing = await(vertx.sharedData().<String, String>getClusterWideMap(HANDSHAKE_MAP)
          .compose(map -> map.putIfAbsent(VERSION_KEY, version)));
    } catch (ExecutionException | TimeoutException e) {
      leave(vertx);
      throw cannotForm(options, e.getCause() == null ? e : e.getCause());
    }
    if (existing != null && !existing.equals(version)) {
      leave(vertx);
      throw new ClusterException("this node runs refit " + version
          + ", and the cluster it joined runs refit " + existing + "; it left the cluster",
          "run the same refit version on the coordinator and every worker");
    }
    return vertx;
  }

  private static void leave(Vertx vertx) throws InterruptedException {
    try {
      await(vertx.close());
    } catch (ExecutionException | TimeoutException e) {
      // Leaving is best effort; the reason to leave is what the user needs to see.
    }
  }

  private static <T> T await(Future<T> f)
      throws InterruptedException, ExecutionException, TimeoutException {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private static Config hazelcast(ClusterOptions options) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("refit");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", options.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A member killed without leaving is noticed within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(5)
        .setMembers(options.members().isEmpty() ? java.util.List.of(options.self()) : options.members());
    return config;
  }

  private static ClusterException cannotForm(ClusterOptions options, Throwable e) {
    String reason = Causes.describe(e);
    if (reason.contains("already in use")) {
      return new ClusterException("cannot listen for the cluster on " + options.self()
          + ": the port is already in use", "pick another --cluster-port, or stop what listens there");
    }
    return new ClusterException("cannot join the cluster on " + options.self() + ": " + reason,
        "check --cluster-host (an address of this machine) and --cluster-members "
            + (options.members().isEmpty() ? "(none given)" : String.join(",", options.members())));
  }

  /**
   * Hazelcast and the cluster manager log through slf4j at WARN unless the user set their level;
   * the CP subsystem's warning that it is off (refit uses none of it) only at ERROR.
   */
  private static void quietLogging() {
    setIfAbsent("hazelcast.logging.type", "slf4j");
    setIfAbsent("org.slf4j.simpleLogger.log.com.hazelcast", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.io.vertx.spi.cluster.hazelcast", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.com.hazelcast.cp.CPSubsystem", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
