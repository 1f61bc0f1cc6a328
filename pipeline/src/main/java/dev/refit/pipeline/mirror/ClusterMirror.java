package dev.refit.pipeline.mirror;

import dev.refit.error.Causes;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.cluster.JobSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The coordinator's side of {@code refit mirror --cluster}: sends each planned image as a
 * {@link MirrorJob} to the workers' shared mirror address through a {@link JobSender} (re-sent
 * after the job timeout, a bounded wait for a worker), {@link MirrorRunner#IMAGES_AT_ONCE} at a
 * time, and gathers the workers' rows in the items' order. Thread-safe; event-loop only composes
 * Futures.
 */
final class ClusterMirror {
  /** The address every worker's mirror intake listens on. */
  static final String ADDRESS = "refit.mirror.cluster.jobs";
  /** Where a coordinator announces that a run ended, so workers release what they set up. */
  static final String RUN_ENDED = "refit.mirror.cluster.ended";

  private final Vertx vertx;
  private final String version;
  private final MirrorJob.Spec spec;
  private final JobSender sender;
  private final Consumer<String> notices;
  private final String run = UUID.randomUUID().toString();

  /** @param notices hears each job sent again, naming its image */
  ClusterMirror(Vertx vertx, ClusterOptions cluster, Duration jobTimeout, String version,
      MirrorJob.Spec spec, Consumer<String> notices) {
    this.vertx = vertx;
    this.version = version;
    this.spec = spec;
    this.sender = new JobSender(vertx, ADDRESS, jobTimeout, "--job-timeout", cluster);
    this.notices = notices;
  }

  /**
   * One row per item, in the items' order; {@code clients} made the items' sources (their keys
   * go to the workers) and {@code destination} names a failed row's destination. Never fails.
   */
  Future<List<MirrorOutcome>> run(List<MirrorItem> items, SourceClients clients, Destination destination) {
    MirrorJob.registerOn(vertx.eventBus());
    return MirrorRunner.each(items, MirrorRunner.IMAGES_AT_ONCE, item -> one(item, clients, destination))
        .eventually(() -> {
          vertx.eventBus().publish(RUN_ENDED, run);
          return Future.succeededFuture();
        });
  }

  private Future<MirrorOutcome> one(MirrorItem item, SourceClients clients, Destination destination) {
    String source = item.describeSource();
    String key = item.source() instanceof SourceRepo.Remote remote ? clients.key(remote.client()).orElse(null) : null;
    Future<MirrorOutcome> sent = key == null
        ? Future.failedFuture(new IllegalStateException("a cluster worker reads registries only"))
        : sender.send(MirrorJob.of(run, version, spec, key, item), why -> notices.accept(source + ": " + why));
    return sent.recover(e -> Future.succeededFuture(MirrorOutcome.failed(source,
        destination.describe(item.destRepository(), item.destRef()), "job: " + Causes.describe(e))));
  }
}
