package dev.refit.pipeline.mirror;

import dev.refit.error.Causes;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.ImageCopyException;
import dev.refit.registry.copy.ImageSink;
import dev.refit.registry.copy.PlatformSubset;
import dev.refit.registry.copy.ReferrerCopier;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Mirrors the images of a run, {@code concurrency} at a time, through one {@link ImageCopier} so
 * a blob crosses once per run (the copier bounds the blob transfers). Before copying, the destination tag is compared with the
 * source's HEAD: an unchanged image costs two manifest requests and no blob request. A failed
 * image becomes a failed row; the others go on. Event-loop safe: returns Futures.
 */
final class MirrorRunner {
  /**
   * Images a run works on at once. Each costs a manifest request or two and then waits in the
   * copier's run-wide blob queue, so this bounds the manifest requests, not the transfers.
   */
  static final int IMAGES_AT_ONCE = 32;

  private final Destination destination;
  private final ImageCopier copier;
  private final Assembler assembler;
  private final ReferrerCopier referrers;
  private final int concurrency;

  MirrorRunner(Destination destination, ImageCopier copier, int concurrency) {
    this.destination = destination;
    this.copier = copier;
    this.assembler = new Assembler(destination, copier);
    this.referrers = new ReferrerCopier(copier);
    this.concurrency = concurrency;
  }

  /**
   * The runner of one run (a local one, or one coordinator's run on a worker). Blobs in flight
   * are counted across the run, so many images can start at once: the distinct layers of all of
   * them begin early instead of waiting for their image's turn.
   */
  static MirrorRunner of(Destination destination, int blobsInFlight) {
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults().withParallelBlobs(blobsInFlight))
        .withRunWideBlobLimit();
    return new MirrorRunner(destination, copier, IMAGES_AT_ONCE);
  }

  /** One row per item, in the items' order. */
  Future<List<MirrorOutcome>> run(List<MirrorItem> items) {
    return each(items, concurrency, this::mirror);
  }

  /**
   * Runs {@code one} on the items, {@code atOnce} at a time: one row per item, in the items'
   * order. {@code one} never fails (a local copy here, a job sent to a cluster worker).
   */
  static Future<List<MirrorOutcome>> each(List<MirrorItem> items, int atOnce,
      Function<MirrorItem, Future<MirrorOutcome>> one) {
    MirrorOutcome[] rows = new MirrorOutcome[items.size()];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(atOnce, items.size()); i++) {
      workers.add(drain(items, rows, next, one));
    }
    return Future.all(workers).map(v -> Arrays.asList(rows));
  }

  private static Future<Void> drain(List<MirrorItem> items, MirrorOutcome[] rows, AtomicInteger next,
      Function<MirrorItem, Future<MirrorOutcome>> one) {
    int i = next.getAndIncrement();
    if (i >= items.size()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    one.apply(items.get(i)).onComplete(ar -> {
      rows[i] = ar.result();
      drain(items, rows, next, one).onComplete(done);
    });
    return done.future();
  }

  /**
   * One image, copied or assembled: the per-item path of a local run and of a cluster worker
   * ({@link MirrorWorker}) alike. Never fails: a failure is a failed row.
   */
  Future<MirrorOutcome> mirror(MirrorItem item) {
    String dest = destination.describe(item.destRepository(), item.destRef());
    Future<MirrorOutcome> run;
    try {
      run = item.assembles() ? assembler.assemble(item, dest) : copy(item, dest);
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.recover(e -> Future.succeededFuture(
        MirrorOutcome.failed(item.describeSource(), dest, Causes.describe(e))));
  }

  private Future<MirrorOutcome> copy(MirrorItem item, String dest) {
    String source = item.describeSource();
    return item.source().head(item.ref()).compose(head -> {
      if (head.isEmpty()) {
        return Future.failedFuture(new ImageCopyException(source + " does not exist"));
      }
      return current(item, head.get()).compose(now -> now.isPresent()
          ? Future.succeededFuture(MirrorOutcome.unchanged(source, dest, now.get().toString()))
          : copyWithReferrers(item, head.get()).map(r -> row(source, dest, MirrorOutcome.COPIED, r)));
    });
  }

  /**
   * The image, then what refers to the source's digest and, for an index, to each child it kept
   * (signatures, SBOMs, attestations): a referrer is written after its subject, so a client never
   * sees a signature of an absent image.
   */
  private Future<CopyResult> copyWithReferrers(MirrorItem item, Digest subject) {
    ImageSink sink = destination.sink(item.destRepository());
    return copier.withOptions(copier.options().withPlatforms(item.platforms()))
        .copy(item.source().images(), item.ref(), sink, item.byDigest() ? null : item.destRef())
        .compose(image -> referrers.copyWithChildren(item.source().images(), subject, image.mediaType(), sink,
            item.platforms()).map(image::plus));
  }

  /**
   * The destination's digest when it already holds what the source has: the same digest, or for
   * a platform subset an index narrowed from the source's digest.
   */
  private Future<Optional<Digest>> current(MirrorItem item, Digest source) {
    if (item.platforms().isEmpty()) {
      return destination.head(item.destRepository(), item.destRef()).map(d -> d.filter(source::equals));
    }
    return destination.manifest(item.destRepository(), item.destRef()).map(m -> m
        .filter(raw -> raw.digest().equals(source) || narrowedFrom(raw, source))
        .map(RawManifest::digest));
  }

  private static boolean narrowedFrom(RawManifest raw, Digest source) {
    return ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Index index
        && PlatformSubset.sourceIndex(index).filter(source.toString()::equals).isPresent();
  }

  static MirrorOutcome row(String source, String dest, String action, CopyResult r) {
    return new MirrorOutcome(source, dest, action, r.digest().toString(), r.blobsCopied(), r.blobsMounted(),
        r.blobsSkipped(), r.bytesCopied(), null);
  }
}
