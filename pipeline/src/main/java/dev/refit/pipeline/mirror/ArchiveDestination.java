package dev.refit.pipeline.mirror;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.copy.ImageSink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code oci-archive:FILE} and {@code docker-archive:FILE}: an OCI layout written in a hidden work
 * directory beside the file and packed into it when the run closes; a docker-archive also gets
 * docker save's {@code manifest.json} over the same blob entries. An existing archive is extracted
 * first, so its images stay and an unchanged image costs one lookup, as with {@code oci:DIR}.
 * Thread-safe.
 */
final class ArchiveDestination implements Destination {
  private static final Platform DOCKER_PLATFORM = Platform.of("linux", "amd64");

  private final Vertx vertx;
  private final String scheme;
  private final Path archive;
  private final Path work;
  private final Destination.Layout layout;

  private ArchiveDestination(Vertx vertx, String scheme, Path archive, Path work, Destination.Layout layout) {
    this.vertx = vertx;
    this.scheme = scheme;
    this.archive = archive;
    this.work = work;
    this.layout = layout;
  }

  /**
   * Blocking: extracts an existing archive into the work directory.
   *
   * @param scheme {@code oci-archive} or {@code docker-archive}
   */
  static ArchiveDestination open(Vertx vertx, String scheme, Path archive) {
    Path file = archive.toAbsolutePath().normalize();
    try {
      Files.createDirectories(file.getParent());
      Path work = Files.createTempDirectory(file.getParent(), "." + file.getFileName() + ".");
      if (Files.exists(file)) {
        OciArchive.extract(file, work);
      }
      boolean layout = Files.exists(work.resolve(OciLayout.LAYOUT_FILE));
      if (!layout && Files.exists(file)) {
        OciArchive.discard(work);
        throw new RefitException(scheme + ":" + file + " exists and holds no OCI layout",
            "refit adds images only to archives it wrote (or skopeo's oci-archive); give a new file", ExitCode.USAGE);
      }
      OciLayout oci = layout ? OciLayout.open(work) : OciLayout.create(work);
      return new ArchiveDestination(vertx, scheme, file, work, new Destination.Layout(vertx, oci));
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
    return scheme + ":" + archive + ":" + Destination.Layout.refName(repository, ref);
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
          if (scheme.equals("docker-archive")) {
            Files.write(work.resolve(DockerSaveList.FILE), dockerSaveList(OciLayout.open(work)));
          }
          OciArchive.pack(work, archive);
          return null;
        }, false))
        .eventually(() -> vertx.executeBlocking(() -> {
          OciArchive.discard(work);
          return null;
        }, false));
  }

  /** Every named image of the layout; for an index, its linux/amd64 image (else the first), as docker pulls. */
  private static byte[] dockerSaveList(OciLayout oci) {
    DockerSaveList list = new DockerSaveList();
    for (Descriptor d : oci.readIndex().manifests()) {
      String name = d.annotations().get(OciLayout.REF_NAME);
      RawManifest raw = oci.readManifest(d);
      if (MediaType.isIndex(raw.mediaType() != null ? raw.mediaType() : d.mediaType())) {
        Index index = Index.parse(raw.bytes());
        raw = oci.readManifest(index.forPlatform(DOCKER_PLATFORM).orElse(index.manifests().get(0)));
      }
      list.add(Manifest.parse(raw.bytes()), name == null || name.contains("@") ? null : name);
    }
    return list.toJson();
  }
}
