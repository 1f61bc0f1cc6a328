/**
 * Per-image Dockerfiles and the reproducible {@code docker_patches.tar.gz} (issue 3, section 5).
 *
 * <p>Flow: one {@link dev.refit.patches.dockerfile.ImagePatches} per affected image (service,
 * base pinned by digest, original user, applied patches, merged
 * {@link dev.refit.patches.engine.PatchResult}) → {@link dev.refit.patches.dockerfile.DockerfileWriter}
 * → one {@link dev.refit.patches.dockerfile.BuildContext} per image →
 * {@link dev.refit.patches.dockerfile.PatchesArchive#write} writes Apex's layout:
 * <pre>
 * containers/
 *   &lt;service&gt;/
 *     Dockerfile
 *     files/&lt;path inside the image&gt;   (copy style: the pre-patched files, with their modes)
 *     &lt;change-id&gt;.patch                 (apex style: the patch files)
 * </pre>
 * A single context can also be streamed as a plain tar for {@code docker build -} or the Engine
 * API's {@code POST /build} with {@link dev.refit.patches.dockerfile.ContextTar#write}.
 *
 * <p>What the copy style needs from the image: nothing for COPY; {@code /bin/sh} and {@code rm}
 * when files are deleted, {@code chmod} when setuid/setgid files are written (the classic
 * builder's chown clears those bits). The apex style needs {@code /bin/sh} and {@code patch}.
 * Paths with control or glob characters ({@code * ? [ \}) are refused, as COPY cannot carry them
 * literally in every builder; the daemonless builder handles such files.
 */
package dev.refit.patches.dockerfile;
