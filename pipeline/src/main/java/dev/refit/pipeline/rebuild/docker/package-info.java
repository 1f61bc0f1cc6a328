/**
 * The {@code docker} builder (issue 4, section 3): docker-java 3.5 over the httpclient5 transport,
 * Engine API pinned to 1.41.
 *
 * <p>Flow of one {@link dev.refit.pipeline.rebuild.docker.DockerRebuilder#rebuild}:
 * <pre>
 * build key == label of &lt;repo&gt;:&lt;tag&gt; in the local registry?  ── yes ─► skipped
 *   │ no
 * base config (user) from the local registry
 * build context tar (ContextSource: copy-style Dockerfile from the patch result, or the
 *   containers/&lt;service&gt;/ folder of docker_patches.tar.gz) ─► temp file in the work dir
 * POST /build  (FROM &lt;local&gt;/&lt;repo&gt;@&lt;digest&gt;; provenance labels as build labels;
 *   tag &lt;local&gt;/&lt;repo&gt;:&lt;tag&gt;)            progress ─► ProgressListener (BUILD)
 * POST /images/&lt;local&gt;/&lt;repo&gt;/push?tag=&lt;tag&gt;   progress ─► ProgressListener (PUSH)
 * HEAD manifest &lt;repo&gt;:&lt;tag&gt; ─► RebuildResult(digest)
 * </pre>
 * Engine errors arrive in two ways and both fail the rebuild with the engine's message: as an
 * HTTP error (docker-java rethrows it from {@code awaitCompletion}) and as an {@code errorDetail}
 * item in a 200 stream (a failed push, a failed RUN), which docker-java's adapters ignore.
 */
package dev.refit.pipeline.rebuild.docker;
