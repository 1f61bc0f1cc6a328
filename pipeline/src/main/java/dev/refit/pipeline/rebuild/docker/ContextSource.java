package dev.refit.pipeline.rebuild.docker;

import dev.refit.patches.dockerfile.BuildContext;
import dev.refit.patches.dockerfile.ContextTar;
import dev.refit.patches.dockerfile.DockerfileWriter;
import dev.refit.patches.dockerfile.ImagePatches;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.settings.config.DockerfileStyle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * The context written from the request by the patches module's {@link DockerfileWriter}. An
   * empty patch result in the copy style gives a Dockerfile of just {@code FROM}: the image is
   * the base plus refit's labels (the build labels), no layer, as the daemonless builder does.
   */
  static ContextSource fromPatches(DockerfileStyle style) {
    Objects.requireNonNull(style, "style");
    return (request, user, out) -> {
      if (style == DockerfileStyle.COPY && request.result().isEmpty()) {
        String from = request.base().name() + "@" + request.base().digest();
        ContextTar.write(new BuildContext(request.service(), "FROM " + from + "\n", List.of()), out);
        return;
      }
      ContextTar.write(new DockerfileWriter(style).write(
          new ImagePatches(request.service(), request.base(), user, request.patches(), request.result())), out);
    };
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
