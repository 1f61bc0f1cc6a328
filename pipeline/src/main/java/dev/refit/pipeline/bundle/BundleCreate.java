package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.DestinationNaming;
import dev.refit.pipeline.mirror.DockerSaveList;
import dev.refit.pipeline.mirror.MirrorItem;
import dev.refit.pipeline.mirror.MirrorPlanner;
import dev.refit.pipeline.mirror.SourceClients;
import dev.refit.registry.client.Await;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.settings.sync.SyncFileLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code refit bundle create}: plans the images of a sync file as {@code refit mirror} does,
 * reads their manifests, then writes the bundle in one pass (docs/bundle.md draws the entry
 * order) to a hidden file beside the output, moved into place only when complete. With a base
 * ({@code --since}), configs and layers the base carries are left out and named in the index.
 * Blocking: call it from a plain thread, never an event loop.
 */
public final class BundleCreate {
  private static final Duration PLAN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration BLOB_TIMEOUT = Duration.ofMinutes(10);

  private final Vertx vertx;

  private BundleCreate(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * @param since an earlier bundle or its {@code .index.json}; null for a full bundle
   * @param platforms {@code os/arch[/variant]} to keep of each index; overrides the file's
   */
  public static BundleIndex run(Vertx vertx, Path syncFile, Path output, Path since, List<String> platforms,
      DestinationNaming naming) {
    BundleIndex base = since == null ? null : BundleBase.read(since);
    Set<Platform> wanted = new LinkedHashSet<>();
    for (String p : platforms) {
      try {
        wanted.add(Platform.parse(p));
      } catch (IllegalArgumentException e) {
        throw new RefitException(e.getMessage(), "write --platform os/arch[/variant]", ExitCode.USAGE);
      }
    }
    SourceClients clients = new SourceClients(vertx);
    try {
      MirrorPlanner planner = new MirrorPlanner(name -> name, naming, wanted, clients::client);
      List<MirrorItem> items = Await.result(planner.plan(SyncFileLoader.load(syncFile).registries()),
          PLAN_TIMEOUT, "listing the images to bundle");
      return new BundleCreate(vertx).write(BundleContents.read(items), output, base);
    } finally {
      Await.result(clients.close(), Duration.ofSeconds(30), "closing the source connections");
    }
  }

  private BundleIndex write(BundleContents contents, Path output, BundleIndex base) {
    Path dir = output.toAbsolutePath().getParent();
    Path partial = dir.resolve("." + output.getFileName() + ".partial");
    Set<String> inBase = base == null ? Set.of() : base.available();
    List<BundleIndex.Blob> fromBase = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      BundleIndex index;
      try (BundleWriter writer = BundleWriter.create(partial)) {
        writer.file(BundleFormat.OCI_LAYOUT, ("{\"imageLayoutVersion\":\"" + OciLayout.LAYOUT_VERSION + "\"}")
            .getBytes(StandardCharsets.UTF_8));
        writer.directory("blobs");
        writer.directory("blobs/sha256");
        writer.file(BundleFormat.OCI_INDEX, ociIndex(contents));
        for (RawManifest manifest : contents.manifests.values()) {
          writer.blob(manifest.descriptor(), manifest.bytes());
        }
        writer.file(BundleFormat.DOCKER_MANIFEST, dockerManifest(contents, inBase));
        for (BundleContents.Blob blob : contents.blobs.values()) {
          Descriptor d = blob.descriptor();
          if (inBase.contains(d.digest().toString())) {
            fromBase.add(new BundleIndex.Blob(d.digest().toString(), d.size()));
            continue;
          }
          try (InputStream in = PayloadInput.open(vertx, Await.result(blob.source().images().blob(d), BLOB_TIMEOUT,
              "reading blob " + d.digest() + " of " + blob.source().describe(d.digest().toString())))) {
            writer.blob(d, in);
          }
        }
        index = new BundleIndex(BundleIndex.VERSION, output.getFileName().toString(), images(contents),
            writer.blobs(), base == null ? null : new BundleIndex.Base(base.bundle(), fromBase));
        writer.file(BundleFormat.BUNDLE_INDEX, index.toJson());
        writer.finish();
      }
      AtomicFile.move(partial, output);
      AtomicFile.write(BundleIndex.besideBundle(output), index.toJson());
      return index;
    } catch (IOException e) {
      throw new RefitException("writing bundle " + output + " failed: " + e.getMessage(),
          "check the free space and permissions there, then run again", ExitCode.FAILED);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the hidden partial file is all that is left; the next run overwrites it
      }
    }
  }

  /** OCI image-layout spec, "index.json file": one entry per image, named REPOSITORY:TAG for skopeo. */
  private static byte[] ociIndex(BundleContents contents) {
    List<Descriptor> entries = new ArrayList<>();
    for (BundleContents.Image image : contents.images) {
      Map<String, String> annotations = new LinkedHashMap<>();
      if (image.tagged()) {
        annotations.put(OciLayout.REF_NAME, image.name());
      }
      annotations.put(BundleFormat.REPOSITORY, image.repository());
      annotations.put(BundleFormat.REFERENCE, image.reference());
      if (image.wrapped()) {
        annotations.put(BundleFormat.WRAPS, image.top().digest().toString());
      }
      entries.add(image.named().descriptor().withAnnotations(annotations));
    }
    return Index.of(entries).toJson();
  }

  /**
   * docker save's manifest.json: one entry per image manifest, its tags, and the same blob entries
   * the OCI layout uses. An image whose config or layers come from the base is left out, as docker
   * load could not read it from this file alone.
   */
  private static byte[] dockerManifest(BundleContents contents, Set<String> inBase) {
    DockerSaveList list = new DockerSaveList();
    for (BundleContents.Image image : contents.images) {
      Manifest m = image.forDocker();
      if (m != null && m.references().stream().noneMatch(d -> inBase.contains(d.digest().toString()))) {
        list.add(m, image.tagged() ? image.name() : null);
      }
    }
    return list.toJson();
  }

  private static List<BundleIndex.Image> images(BundleContents contents) {
    return contents.images.stream().map(i -> new BundleIndex.Image(i.name(), i.repository(), i.reference(),
        i.top().digest().toString(), i.top().mediaType(), i.top().size(), i.source())).toList();
  }
}
