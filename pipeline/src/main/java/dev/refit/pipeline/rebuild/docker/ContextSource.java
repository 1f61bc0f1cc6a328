package dev.refit.pipeline.rebuild.docker;

import dev.refit.patches.dockerfile.ContextTar;
import dev.refit.patches.dockerfile.DockerfileWriter;
import dev.refit.patches.dockerfile.ImagePatches;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.settings.config.DockerfileStyle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the docker builder's build context comes from: written now from the request's patch
 * result, or cut out of a {@code docker_patches.tar.gz} the patches stage already wrote.
 * Implementations are blocking and thread-safe.
 */
@FunctionalInterface
public interface ContextSource {

  /**
   * Writes the plain (uncompressed) build-context tar of {@code request}, Dockerfile at its root,
   * to {@code out}; does not close {@code out}. Blocking.
   *
   * @param originalUser {@code config.User} of the base image, restored at the end of the build
   */
  void write(RebuildRequest request, String originalUser, OutputStream out) throws IOException;

  /** The context written from the request by the patches module's {@link DockerfileWriter}. */
  static ContextSource fromPatches(DockerfileStyle style) {
    Objects.requireNonNull(style, "style");
    return (request, user, out) -> ContextTar.write(new DockerfileWriter(style).write(
        new ImagePatches(request.service(), request.base(), user, request.patches(), request.result())), out);
  }

  /**
   * The folder {@code containers/<service>/} of {@code archive} (a {@code docker_patches.tar.gz}),
   * streamed and re-rooted; its Dockerfile must build FROM the request's base.
   */
  static ContextSource fromArchive(Path archive) {
    Objects.requireNonNull(archive, "archive");
    return (request, user, out) -> ArchiveContext.extract(archive, request.service(),
        request.base().name() + "@" + request.base().digest(), out);
  }
}
