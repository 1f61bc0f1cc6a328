/**
 * Rebuild and publish (issue 4, sections 3 and 4; issue 9, section 4): the shared types every
 * builder uses ({@link dev.refit.pipeline.rebuild.RebuildRequest},
 * {@link dev.refit.pipeline.rebuild.RebuildResult}, {@link dev.refit.pipeline.rebuild.Rebuilder},
 * {@link dev.refit.pipeline.rebuild.BuildKey}, {@link dev.refit.pipeline.rebuild.Provenance}), the
 * default {@code daemonless} builder ({@link dev.refit.pipeline.rebuild.DaemonlessRebuilder},
 * refit's own append) and the {@code jib} builder ({@link dev.refit.pipeline.rebuild.JibRebuilder},
 * on jib-core).
 *
 * <p>Flow of one daemonless rebuild:
 * <pre>
 *   BuildKey.of(...) == label dev.refit.build-key of repo:apex ?  → skipped, nothing pushed
 *   base manifest (by digest, local registry)
 *     image  → LayerWriter: DeltaLayer entries (files, full modes, uid:gid, .wh. whiteouts,
 *                epoch+1s) → one gzip tar in the work dir, digest + diff_id while writing
 *              ImageAppend: mount base layers (BaseLayerMounter), read the base config,
 *                AppendedConfig (+ diff_id, history, labels, created = epoch),
 *                push layer and config once (HEAD first) → OCI manifest with annotations
 *              put the manifest once under :apex
 *     index  → the above per requested platform, each child put by digest; unrequested kept or
 *              dropped (PlatformChoice); new OCI index with provenance annotations under :apex
 * </pre>
 *
 * <p>Everything here is blocking: run rebuilders on a named worker pool
 * ({@code vertx.executeBlocking(callable, false)} on {@code vertx.createSharedWorkerExecutor}).
 */
package dev.refit.pipeline.rebuild;
