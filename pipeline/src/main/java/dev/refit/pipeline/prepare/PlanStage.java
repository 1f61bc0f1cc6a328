package dev.refit.pipeline.prepare;

import dev.refit.patches.mapping.Plan;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.registry.client.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;

/**
 * Plan: decides what an image needs. Done already when its apex tag carries the same inputs
 * (the input-key shortcut, which reads no layer) or when no patch targets it; otherwise the
 * patches to apply, placed in the image by the planner on the worker pool. Thread-safe.
 */
record PlanStage(PatchMapping mapping, InputKeys keys, String fingerprint, RegistryClient local,
    ApexTarget apex, WorkerExecutor work) implements Stage<FetchStage.Fetched, PlanStage.Planned> {
  /** What the plan decided for one image. */
  sealed interface Planned permits Done, ToPatch {}

  /** Nothing more to do for the image. */
  record Done(ImageOutcome outcome) implements Planned {}

  /** Patches to apply; {@code key} names the inputs (null when no patch maps by project). */
  record ToPatch(FetchStage.Fetched fetched, String key, List<Plan.PatchPlan> plans) implements Planned {
    String service() {
      return fetched.service();
    }
  }

  @Override
  public Future<Planned> apply(FetchStage.Fetched fetched) {
    String service = fetched.service();
    List<FetchedPatch> mine = mapping.patchesFor(service);
    String key = mine.isEmpty() ? null : InputKeys.key(fingerprint, fetched.result().digest(), mine);
    return known(service, key).compose(entry -> entry != null
        ? Future.succeededFuture(new Done(unchanged(fetched, entry)))
        : work.executeBlocking(() -> mapping.planFor(service).patchesFor(service), false)
            .map(plans -> plans.isEmpty()
                ? new Done(mirrored(fetched))
                : new ToPatch(fetched, key, plans)));
  }

  /**
   * The recorded entry for these inputs, only while the apex tag still resolves to its digest
   * (a deleted or re-pushed tag means the full path); null otherwise.
   */
  private Future<InputKeys.Entry> known(String service, String key) {
    String repository = apex.repository(service);
    InputKeys.Entry entry = key == null ? null
        : keys.get(repository).filter(e -> e.key().equals(key)).orElse(null);
    if (entry == null) {
      return Future.succeededFuture(null);
    }
    return local.headManifest(repository, apex.tag(), null)
        .map(head -> head.isPresent() && head.get().digest().toString().equals(entry.digest())
            ? entry : null)
        .otherwise((InputKeys.Entry) null);
  }

  private ImageOutcome unchanged(FetchStage.Fetched fetched, InputKeys.Entry entry) {
    return new ImageOutcome(fetched.service(), fetched.task().upstream().toString(),
        fetched.result().digest().toString(), Action.UNCHANGED,
        "same inputs as the published " + apex.tag() + " image", entry.digest(),
        apex.reference(fetched.service(), entry.digest()), entry.patches(), 0);
  }

  /** No patch targets the image: it is only mirrored. */
  private static ImageOutcome mirrored(FetchStage.Fetched fetched) {
    FetchResult r = fetched.result();
    Action action = switch (r.action()) {
      case FETCHED, UPDATED -> Action.FETCHED;
      case CACHED -> Action.UNCHANGED;
      case OFFLINE -> Action.CACHED;
    };
    return new ImageOutcome(fetched.service(), fetched.task().upstream().toString(),
        r.digest().toString(), action, "no patch targets this image", null, null, List.of(), 0);
  }
}
