/**
 * Rebuild and publish (issue 4, sections 3 and 4): the shared types every builder uses
 * ({@link dev.refit.pipeline.rebuild.RebuildRequest}, {@link dev.refit.pipeline.rebuild.RebuildResult},
 * {@link dev.refit.pipeline.rebuild.Rebuilder}, {@link dev.refit.pipeline.rebuild.BuildKey},
 * {@link dev.refit.pipeline.rebuild.Provenance}) and the default {@code daemonless} builder
 * ({@link dev.refit.pipeline.rebuild.DaemonlessRebuilder}, on jib-core).
 *
 * <p>Flow of one daemonless rebuild:
 * <pre>
 *   BuildKey.of(...) == label dev.refit.build-key of repo:apex ?  → skipped, nothing pushed
 *   base manifest (by digest, local registry)
 *     image  → mount base layers into repo (BaseLayerMounter)
 *              jib: base@digest + DeltaLayer (files, modes, uid:gid, .wh. whiteouts, epoch+1s)
 *                   + provenance labels, created = epoch → pushes blobs, then manifest :apex-KEY12
 *              re-put manifest + annotations (+ base layer media types) under :apex-KEY12, then :apex
 *     index  → the above per requested platform; unrequested kept or dropped (PlatformChoice);
 *              new OCI index with provenance annotations under :apex-KEY12, then :apex
 * </pre>
 *
 * <p>Everything here is blocking: run rebuilders on a named worker pool
 * ({@code vertx.executeBlocking(callable, false)} on {@code vertx.createSharedWorkerExecutor}).
 */
package dev.refit.pipeline.rebuild;
