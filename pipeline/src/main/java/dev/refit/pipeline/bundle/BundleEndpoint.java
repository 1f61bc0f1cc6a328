package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.pipeline.mirror.Destinations;
import dev.refit.pipeline.mirror.MirrorOutcome;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import dev.refit.registry.client.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code refit mirror}'s {@code bundle:FILE} endpoint. A bundle is written and read strictly in
 * order, so it is not an {@code ImageSource} or {@code ImageSink} for the copier: as a source it
 * is {@code bundle load} into the mirror's destination, as a destination it is
 * {@code bundle create} of the mirror's sync file. The bundle keeps the repository names it was
 * created with. Blocking: call it from a plain thread.
 */
public final class BundleEndpoint {
  public static final String PREFIX = "bundle:";
  private static final String COPIED = "copied";

  private BundleEndpoint() {}

  /** True when the request reads or writes a bundle. */
  public static boolean handles(MirrorRequest request) {
    return (request.to() != null && request.to().startsWith(PREFIX))
        || request.refs().stream().anyMatch(r -> r.startsWith(PREFIX));
  }

  /** @param workDir where {@code bundle load} verifies a blob bound for a registry */
  public static MirrorReport run(Vertx vertx, MirrorRequest request, Path workDir) {
    long start = System.nanoTime();
    List<MirrorOutcome> rows = request.to() != null && request.to().startsWith(PREFIX)
        ? create(vertx, request) : load(vertx, request, workDir);
    return new MirrorReport(rows, (System.nanoTime() - start) / 1_000_000);
  }

  private static List<MirrorOutcome> create(Vertx vertx, MirrorRequest request) {
    if (request.syncFile() == null || !request.refs().isEmpty()) {
      throw usage("--to bundle:FILE takes the images of a sync file (-f), not source references",
          "refit mirror -f sync.yaml --to bundle:site.tar");
    }
    if (request.noFetch()) {
      throw new RefitException("--no-fetch: a bundle is made from the sync file's registries",
          "write the bundle where the registries are reachable", ExitCode.NOT_CACHED);
    }
    Path file = Path.of(request.to().substring(PREFIX.length()));
    BundleIndex index = BundleCreate.run(vertx, request.syncFile(), file, null, request.platforms(), request.naming());
    return index.images().stream().map(i -> new MirrorOutcome(i.source(), request.to() + ":" + i.name(), COPIED,
        i.digest(), 0, 0, 0, 0, null)).toList();
  }

  private static List<MirrorOutcome> load(Vertx vertx, MirrorRequest request, Path workDir) {
    if (request.syncFile() != null || request.refs().size() != 1) {
      throw usage("a bundle:FILE source is mirrored on its own", "refit mirror bundle:site.tar [--to DEST]");
    }
    String ref = request.refs().get(0);
    Path file = Path.of(ref.substring(PREFIX.length()));
    Destination destination = Destinations.open(vertx, request.to(), request.storeRoot(), request.destTlsVerify());
    try {
      BundleLoad.Outcome outcome = BundleLoad.run(file, destination, workDir);
      return outcome.index().images().stream().map(i -> new MirrorOutcome(ref + ":" + i.name(),
          destination.describe(i.repository(), i.reference()), COPIED, i.digest(), 0, 0, 0, 0, null)).toList();
    } finally {
      Await.result(destination.close(), Duration.ofMinutes(30), "closing the destination");
    }
  }

  private static RefitException usage(String message, String hint) {
    return new RefitException(message, hint, ExitCode.USAGE);
  }
}
