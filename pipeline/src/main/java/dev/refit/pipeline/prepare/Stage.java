package dev.refit.pipeline.prepare;

import io.vertx.core.Future;

/**
 * One step of an image's way through prepare (fetch, plan, patch, rebuild, publish), or the
 * run-wide rewrite after all of them. A stage returns at once; blocking work inside it runs on
 * the run's named worker pool. Implementations are thread-safe.
 */
@FunctionalInterface
interface Stage<I, O> {
  Future<O> apply(I in);
}
