package dev.refit.pipeline.mirror;

import dev.refit.registry.copy.ImageSink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code oci-archive:FILE}: an OCI layout written in a hidden work directory beside the file and
 * packed into it when the run closes. An existing archive is extracted first, so its images stay
 * and an unchanged image costs one lookup, as with {@code oci:DIR}. Thread-safe.
 */
final class ArchiveDestination implements Destination {
  private final Vertx vertx;
  private final Path archive;
  private final Path work;
  private final Destination.Layout layout;

  private ArchiveDestination(Vertx vertx, Path archive, Path work, Destination.Layout layout) {
    this.vertx = vertx;
    this.archive = archive;
    this.work = work;
    this.layout = layout;
  }

  /** Blocking: extracts an existing archive into the work directory. */
  static ArchiveDestination open(Vertx vertx, Path archive) {
    Path file = archive.toAbsolutePath().normalize();
    try {
      Files.createDirectories(file.getParent());
      Path work = Files.createTempDirectory(file.getParent(), "." + file.getFileName() + ".");
      if (Files.exists(file)) {
        OciArchive.extract(file, work);
      }
      OciLayout oci = Files.exists(work.resolve(OciLayout.LAYOUT_FILE)) ? OciLayout.open(work) : OciLayout.create(work);
      return new ArchiveDestination(vertx, file, work, new Destination.Layout(vertx, oci));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare oci-archive:" + file, e);
    }
  }

  @Override
  public String repository(String suffix) {
    return suffix;
  }

  @Override
  public String describe(String repository, String ref) {
    return "oci-archive:" + archive + ":" + Destination.Layout.refName(repository, ref);
  }

  @Override
  public Future<Optional<Digest>> head(String repository, String ref) {
    return layout.head(repository, ref);
  }

  @Override
  public Future<Optional<RawManifest>> manifest(String repository, String ref) {
    return layout.manifest(repository, ref);
  }

  @Override
  public ImageSink sink(String repository) {
    return layout.sink(repository);
  }

  @Override
  public boolean local() {
    return true;
  }

  /** Packs the layout into the archive (atomically) and removes the work directory. */
  @Override
  public Future<Void> close() {
    return layout.close()
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          OciArchive.pack(work, archive);
          return null;
        }, false))
        .eventually(() -> vertx.executeBlocking(() -> {
          OciArchive.discard(work);
          return null;
        }, false));
  }
}
