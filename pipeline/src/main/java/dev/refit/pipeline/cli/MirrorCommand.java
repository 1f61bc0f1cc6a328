package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.bundle.BundleEndpoint;
import dev.refit.pipeline.mirror.Mirror;
import dev.refit.pipeline.mirror.MirrorOutcome;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code refit mirror}: copies the images of a skopeo-sync YAML, or of references, to one destination. */
@Command(
    name = "mirror",
    mixinStandardHelpOptions = true,
    description = {
      "Mirror images from a skopeo-sync YAML file (-f) or from source references into the embedded"
          + " registry (default), a registry (docker://HOST[/PREFIX]), an OCI layout (oci:DIR), an OCI"
          + " archive (oci-archive:FILE), a docker save archive (docker-archive:FILE)"
          + " or a bundle (bundle:FILE).",
      "With --cluster, this process plans and 'refit worker --cluster' processes copy the images"
          + " into a docker:// destination every node reaches.",
      "Exit 0 all done, 1 an image failed, 2 bad usage or settings, 3 --no-fetch and a source needs the network."
    })
final class MirrorCommand implements Callable<Integer> {
  enum Output { table, json }

  @Mixin GlobalOptions global;

  @Mixin DestinationOptions destination;

  @Mixin NamingOptions naming;

  @Option(names = {"-f", "--file"}, paramLabel = "SYNC.yaml", description = "skopeo-sync YAML (with refit's keys under refit:).")
  Path file;

  @Parameters(paramLabel = "SRC-REF", arity = "0..*",
      description = "docker://HOST/REPO[:TAG|@DIGEST] (no tag: every tag) oci:DIR[:NAME], oci-archive:FILE[:NAME],"
          + " docker-archive:FILE[:REPO:TAG] or bundle:FILE (alone).")
  List<String> refs = new ArrayList<>();

  @Option(names = "--concurrency", defaultValue = "8", description = "Blobs in flight across the run; up to 32 images are worked on at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--no-fetch", description = "Refuse sources that need the network (exit 3 naming them); oci: sources work.")
  boolean noFetch;

  @Option(names = "--cephadm-conf", paramLabel = "FILE",
      description = "After mirroring, write cephadm's container_image settings pointing at the mirror"
          + " (for ceph config assimilate-conf -i FILE); needs --to docker://HOST[:PORT] and --keep-path.")
  Path cephadmConf;

  @Mixin ClusterFlags cluster;

  @Option(names = "--job-timeout", defaultValue = "1h", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "With --cluster: how long one image's job may go unanswered before it is sent to a worker again"
          + " (default: ${DEFAULT-VALUE}).")
  Duration jobTimeout;

  @Override
  public Integer call() throws Exception {
    MirrorRequest request = MirrorRequest.of(file, destination.storeRoot()).withRefs(refs).withTo(destination.to)
        .withPlatforms(naming.platforms).withConcurrency(concurrency).withNoFetch(noFetch)
        .withDestTlsVerify(destination.destTlsVerify).withNaming(naming.naming()).withCephadmConf(cephadmConf);
    if (cluster.enabled) {
      Mirror.requireClusterable(request);
    }
    // Notices come from event loops; they are only queued there and printed by this thread.
    Queue<String> notices = new ConcurrentLinkedQueue<>();
    Vertx vertx = cluster.vertx();
    try {
      MirrorReport report = cluster.enabled
          ? Mirror.run(vertx, request, new Mirror.Cluster(cluster.options(), jobTimeout, Version.current(), notices::add))
          : BundleEndpoint.handles(request)
              ? BundleEndpoint.run(vertx, request, destination.cache().resolve("bundle-load")) : Mirror.run(vertx, request);
      notices.forEach(n -> global.out().println(output == Output.json
          ? new JsonObject().put("type", "notice").put("message", n).encode() : "note: " + n));
      global.out().print(output == Output.json ? report.jsonLines() : report.table());
      global.out().flush();
      List<MirrorOutcome> failed = report.failed();
      if (!failed.isEmpty()) {
        throw new RefitException(failed.size() + " of " + report.images().size() + " image(s) failed; first: "
            + failed.get(0).source() + ": " + failed.get(0).error(),
            "fix the cause and run again: what was copied is not copied again", ExitCode.FAILED);
      }
      return ExitCode.DONE.code();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
