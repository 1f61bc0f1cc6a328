package dev.refit.pipeline.prepare;

import dev.refit.pipeline.rebuild.RebuildResult;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * Publish: the rebuilt image stands under the apex tag (the rebuilder pushed it); this stage
 * names the outcome and records the inputs behind it, so the next run with the same inputs
 * answers {@code unchanged} at the plan stage. Thread-safe.
 */
record PublishStage(InputKeys keys, ApexTarget apex, WorkerExecutor work)
    implements Stage<RebuildStage.Rebuilt, ImageOutcome> {
  @Override
  public Future<ImageOutcome> apply(RebuildStage.Rebuilt rebuilt) {
    PatchStage.Patched patched = rebuilt.patched();
    RebuildResult result = rebuilt.result();
    FetchStage.Fetched fetched = patched.planned().fetched();
    ImageOutcome outcome = new ImageOutcome(fetched.service(), fetched.task().upstream().toString(),
        fetched.result().digest().toString(), result.skipped() ? Action.UNCHANGED : Action.PATCHED,
        null, result.manifestDigest().toString(), result.reference(), patched.ids(), 0);
    String key = patched.planned().key();
    if (key == null) {
      return Future.succeededFuture(outcome);
    }
    return work.executeBlocking(() -> {
      keys.put(apex.repository(fetched.service()),
          new InputKeys.Entry(key, outcome.apexDigest(), outcome.patches()));
      return outcome;
    }, false);
  }
}
