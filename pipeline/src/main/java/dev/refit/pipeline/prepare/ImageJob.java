package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The recipe of one image's way through prepare: fetch → plan → patch → rebuild → publish, each
 * stage chained on the previous one's Future so the image never waits for others. A failure is
 * wrapped once at its stage boundary ({@link StageException}) and becomes this image's FAILED
 * row; the others go on. Progress and the result are published at {@link PreparePipeline#EVENTS}.
 * Thread-safe; runs on an event loop and only composes Futures.
 */
final class ImageJob {
  private final Stage<ImageTask, FetchStage.Fetched> fetch;
  private final Stage<FetchStage.Fetched, PlanStage.Planned> plan;
  private final Stage<PlanStage.ToPatch, PatchStage.Patched> patch;
  private final Stage<PatchStage.Patched, RebuildStage.Rebuilt> rebuild;
  private final Stage<RebuildStage.Rebuilt, ImageOutcome> publish;
  private final String builder;
  private final EventBus events;

  /** @param builder the rebuilder's name, for progress */
  ImageJob(Stage<ImageTask, FetchStage.Fetched> fetch,
      Stage<FetchStage.Fetched, PlanStage.Planned> plan,
      Stage<PlanStage.ToPatch, PatchStage.Patched> patch,
      Stage<PatchStage.Patched, RebuildStage.Rebuilt> rebuild,
      Stage<RebuildStage.Rebuilt, ImageOutcome> publish, String builder, EventBus events) {
    this.fetch = fetch;
    this.plan = plan;
    this.patch = patch;
    this.rebuild = rebuild;
    this.publish = publish;
    this.builder = builder;
    this.events = events;
  }

  /** The image's outcome; the Future never fails (a failure is a FAILED row). */
  Future<ImageOutcome> run(ImageTask task) {
    long started = System.nanoTime();
    String service = task.service();
    return stage("fetch", service, () -> fetch.apply(task))
        .compose(fetched -> {
          FetchResult r = fetched.result();
          progress(service, "fetch", r.action().name().toLowerCase(Locale.ROOT),
              r.copy() == null ? null : r.copy().bytesCopied());
          progress(service, "plan", "", null);
          return stage("plan", service, () -> plan.apply(fetched));
        })
        .compose(planned -> planned instanceof PlanStage.ToPatch todo
            ? patchAndPublish(todo)
            : Future.succeededFuture(((PlanStage.Done) planned).outcome()))
        .recover(failure -> Future.succeededFuture(failed(task, null, failure)))
        .map(outcome -> outcome.withMillis((System.nanoTime() - started) / 1_000_000))
        .onSuccess(this::announce);
  }

  private Future<ImageOutcome> patchAndPublish(PlanStage.ToPatch todo) {
    String service = todo.service();
    progress(service, "patch", todo.plans().size() + " patch(es)", null);
    return stage("patch", service, () -> patch.apply(todo))
        .compose(patched -> {
          progress(service, "rebuild", builder, null);
          return stage("rebuild", service, () -> rebuild.apply(patched));
        })
        .compose(rebuilt -> stage("publish", service, () -> publish.apply(rebuilt)))
        .recover(failure -> Future.succeededFuture(
            failed(todo.fetched().task(), todo.fetched().result().digest(), failure)));
  }

  /** Runs one stage; its failure is wrapped once with the stage and the image. */
  private static <T> Future<T> stage(String name, String service, Supplier<Future<T>> run) {
    Future<T> started;
    try {
      started = run.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started.recover(e -> Future.failedFuture(
        e instanceof StageException ? e : new StageException(name, service, e)));
  }

  private static ImageOutcome failed(ImageTask task, Digest upstreamDigest, Throwable failure) {
    String reason = failure instanceof StageException s ? s.reason() : Causes.describe(failure);
    return ImageOutcome.failed(task.service(), task.upstream().toString(),
        upstreamDigest == null ? null : upstreamDigest.toString(), reason, 0);
  }

  private void progress(String service, String stage, String detail, Long bytes) {
    events.publish(PreparePipeline.EVENTS, JobEvents.progress(service, stage, detail, bytes));
  }

  private void announce(ImageOutcome o) {
    JsonObject e = new JsonObject()
        .put("type", o.action() == Action.FAILED ? JobEvents.FAILURE : JobEvents.RESULT)
        .put("service", o.service()).put("action", o.action().label()).put("millis", o.millis());
    if (o.reason() != null) {
      e.put("reason", o.reason());
    }
    if (o.apexReference() != null) {
      e.put("apex", o.apexReference());
    }
    events.publish(PreparePipeline.EVENTS, e);
  }
}
