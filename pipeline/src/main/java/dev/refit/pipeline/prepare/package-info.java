/**
 * {@code refit prepare}: the pipeline that mirrors upstream images into the local registry,
 * applies the patches mapped to each image, rebuilds and publishes them under the apex tag, and
 * rewrites the image lists a deployer reads.
 *
 * <p>{@link dev.refit.pipeline.prepare.PreparePipeline} starts one
 * {@link dev.refit.pipeline.prepare.ImageJob} per image: a Future chain fetch → plan → patch →
 * rebuild/publish in which each image moves on as soon as its own previous stage is done. Blocking
 * stages run on the bounded {@link dev.refit.pipeline.prepare.WorkPool}; events (progress, result,
 * failure) go out on the event bus at {@link dev.refit.pipeline.prepare.PreparePipeline#EVENTS}.
 * A failing image becomes a FAILED row of the {@link dev.refit.pipeline.prepare.PrepareReport};
 * only run-wide problems (an offline cache miss, bad settings) fail the run.
 */
package dev.refit.pipeline.prepare;
