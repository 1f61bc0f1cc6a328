/**
 * {@code refit prepare}: the pipeline that mirrors upstream images into the local registry,
 * applies the patches mapped to each image, rebuilds and publishes them under the apex tag, and
 * rewrites the image lists a deployer reads.
 *
 * <p>{@link dev.refit.pipeline.prepare.PreparePipeline} wires the stages once per run and sends
 * one job per image over the event bus ({@link dev.refit.pipeline.prepare.JobIntake}); each job
 * is the recipe in {@link dev.refit.pipeline.prepare.ImageJob}: fetch → plan → patch → rebuild →
 * publish, one Future chain in which each image moves on as soon as its own previous stage is
 * done. Blocking work runs on the named worker pool {@code refit-prepare-work}; events (progress,
 * result, failure) go out on the event bus at
 * {@link dev.refit.pipeline.prepare.PreparePipeline#EVENTS}. A failing image becomes a FAILED row
 * of the {@link dev.refit.pipeline.prepare.PrepareReport}; only run-wide problems (an offline
 * cache miss, bad settings) fail the run.
 */
package dev.refit.pipeline.prepare;
