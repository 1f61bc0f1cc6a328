package dev.refit.pipeline.prepare;

import dev.refit.patches.mapping.Plan;
import dev.refit.pipeline.fetch.FetchAction;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One image's way through prepare: its fetch result, then plan → patch → rebuild/publish, each
 * stage chained on the previous one's Future so the image never waits for others. Any failure
 * becomes a FAILED outcome for this image only. Thread-safe; blocking stages run on the shared
 * worker pool from the {@link Context}.
 */
final class ImageJob {
  /** What every job of one run shares. */
  record Context(Vertx vertx, WorkPool work, String localAddress,
      Function<String, String> localRepository, String tag, Function<String, Plan> planner,
      PatchStage patcher, Rebuilder rebuilder, Path runDir, boolean offline,
      Function<String, List<dev.refit.patches.source.FetchedPatch>> mapped, InputKeys keys,
      String fingerprint, dev.refit.registry.client.RegistryClient localClient) {}

  private final Context ctx;
  private final String service;
  private final ImageRef upstream;
  private final long started = System.nanoTime();

  ImageJob(Context ctx, String service, ImageRef upstream) {
    this.ctx = ctx;
    this.service = service;
    this.upstream = upstream;
  }

  /** Chains the stages on {@code fetch}; the result never fails (a failure is a FAILED row). */
  Future<ImageOutcome> run(Future<FetchResult> fetch) {
    return fetch
        .compose(fetched -> {
          event("fetch", fetched.action().name().toLowerCase(java.util.Locale.ROOT),
              fetched.copy() == null ? null : fetched.copy().bytesCopied());
          event("plan", "", null);
          List<dev.refit.patches.source.FetchedPatch> mine = ctx.mapped().apply(service);
          String key = mine.isEmpty() ? null
              : InputKeys.key(ctx.fingerprint(), fetched.digest(), mine);
          return known(key).compose(entry -> entry != null
              ? Future.succeededFuture(new ImageOutcome(service, upstream.toString(),
                  fetched.digest().toString(), Action.UNCHANGED,
                  "same inputs as the published " + ctx.tag() + " image", entry.digest(),
                  apexReference(entry.digest()), entry.patches(), millis()))
              : blocking(() -> ctx.planner().apply(service).patchesFor(service))
                  .compose(plans -> plans.isEmpty()
                      ? Future.succeededFuture(outcome(fetched, mirrorAction(fetched), "no patch targets this image", null, List.of()))
                      : patchAndRebuild(fetched, plans))
                  .compose(o -> remember(key, o)));
        })
        .recover(failure -> Future.succeededFuture(ImageOutcome.failed(service, upstream.toString(),
            null, describe(failure), millis())))
        .onSuccess(o -> {
          JsonObject e = new JsonObject()
              .put("type", o.action() == Action.FAILED ? JobEvents.FAILURE : JobEvents.RESULT)
              .put("service", service).put("action", o.action().label()).put("millis", o.millis());
          if (o.reason() != null) {
            e.put("reason", o.reason());
          }
          if (o.apexReference() != null) {
            e.put("apex", o.apexReference());
          }
          ctx.vertx().eventBus().publish(PreparePipeline.EVENTS, e);
        });
  }

  private Future<ImageOutcome> patchAndRebuild(FetchResult fetched, List<Plan.PatchPlan> plans) {
    Path work = ctx.runDir().resolve("work").resolve(service);
    List<String> ids = plans.stream().map(Plan.PatchPlan::id).toList();
    event("patch", ids.size() + " patch(es)", null);
    return blocking(() -> ctx.patcher().apply(service, plans, work))
        .compose(patched -> {
          event("rebuild", ctx.rebuilder().name(), null);
          ImageRef local = ImageRef.parse(fetched.local());
          ImageRef base = ImageRef.of(ctx.localAddress(), local.repository(), null, fetched.digest());
          RebuildRequest request = new RebuildRequest(service, base,
              ctx.localRepository().apply(service), ctx.tag(), patched.applied(), patched.result(),
              Map.of());
          return blocking(() -> ctx.rebuilder().rebuild(request));
        })
        .map(result -> outcome(fetched, result.skipped() ? Action.UNCHANGED : Action.PATCHED, null,
            result, ids))
        .recover(failure -> Future.succeededFuture(ImageOutcome.failed(service, upstream.toString(),
            fetched.digest().toString(), describe(failure), millis())));
  }

  /**
   * The recorded entry for these inputs, only while the apex tag still resolves to its digest
   * (a deleted or re-pushed tag means the full path); null otherwise.
   */
  private Future<InputKeys.Entry> known(String key) {
    String repository = ctx.localRepository().apply(service);
    InputKeys.Entry entry = key == null ? null
        : ctx.keys().get(repository).filter(e -> e.key().equals(key)).orElse(null);
    if (entry == null) {
      return Future.succeededFuture(null);
    }
    return ctx.localClient().headManifest(repository, ctx.tag(), null)
        .map(head -> head.isPresent() && head.get().digest().toString().equals(entry.digest())
            ? entry : null)
        .otherwise((InputKeys.Entry) null);
  }

  /** Records the inputs behind a published apex image, so the next run can skip to the answer. */
  private Future<ImageOutcome> remember(String key, ImageOutcome o) {
    if (key == null || o.apexDigest() == null
        || (o.action() != Action.PATCHED && o.action() != Action.UNCHANGED)) {
      return Future.succeededFuture(o);
    }
    return blocking(() -> {
      ctx.keys().put(ctx.localRepository().apply(service),
          new InputKeys.Entry(key, o.apexDigest(), o.patches()));
      return o;
    });
  }

  private String apexReference(String digest) {
    return ctx.localAddress() + "/" + ctx.localRepository().apply(service) + ":" + ctx.tag()
        + "@" + digest;
  }

  private Action mirrorAction(FetchResult fetched) {
    if (fetched.action() != FetchAction.CACHED) {
      return Action.FETCHED;
    }
    return ctx.offline() ? Action.CACHED : Action.UNCHANGED;
  }

  private ImageOutcome outcome(FetchResult fetched, Action action, String reason,
      RebuildResult rebuilt, List<String> ids) {
    return new ImageOutcome(service, upstream.toString(), fetched.digest().toString(), action,
        reason, rebuilt == null ? null : rebuilt.manifestDigest().toString(),
        rebuilt == null ? null : rebuilt.reference(), ids, millis());
  }

  private void event(String stage, String detail, Long bytes) {
    ctx.vertx().eventBus().publish(PreparePipeline.EVENTS,
        JobEvents.progress(service, stage, detail, bytes));
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return ctx.work().submit(call);
  }

  private long millis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static String describe(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && (c.getMessage() == null
        || c instanceof java.util.concurrent.CompletionException)) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }
}
