package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.registry.client.Await;
import dev.refit.registry.copy.BlobPayload;
import dev.refit.registry.copy.ImageSink;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code refit bundle load}: streams a bundle into a {@link Destination} in one pass. A blob the
 * destination has already (HEAD, or a link in the store) is skipped unread, so a re-run after a
 * crash sends only what is missing. Other blobs stream from the tar straight into a local
 * destination, whose sink checks the digest before the blob is visible, or, for a registry,
 * through a work file verified on the way (so the upload can be retried). Then the base of a
 * differential bundle is checked, and only then are manifests and tags written, children first.
 * Blocking: call it from a plain thread.
 */
public final class BundleLoad {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(30);

  private final Destination destination;
  private final Path workDir;
  private long sent;
  private long skipped;

  private BundleLoad(Destination destination, Path workDir) {
    this.destination = destination;
    this.workDir = workDir;
  }

  /** What a load did: blobs sent, blobs the destination had, images tagged, and the bundle's index. */
  public record Outcome(long sent, long skipped, List<String> images, BundleIndex index) {}

  /** @param workDir where a blob waits while it is verified; created when missing */
  public static Outcome run(Path bundle, Destination destination, Path workDir) {
    if (!Files.isRegularFile(bundle)) {
      throw new RefitException("no bundle at " + bundle, "give the path of a file bundle create wrote",
          ExitCode.USAGE);
    }
    return new BundleLoad(destination, workDir).load(bundle);
  }

  private Outcome load(Path bundle) {
    BundleReader.Result result;
    try {
      Files.createDirectories(workDir);
      result = BundleReader.read(bundle, this::blob);
    } catch (IOException e) {
      throw new RefitException("cannot load " + bundle + ": " + e.getMessage(),
          "check the bundle's path and the work directory " + workDir, ExitCode.FAILED);
    }
    if (!result.problems().isEmpty()) {
      throw BundleVerify.failed(bundle, result.problems());
    }
    requireBase(result);
    List<String> tagged = new ArrayList<>();
    for (Descriptor image : result.images()) {
      String repository = destination.repository(BundleReader.repository(image));
      Digest digest = BundleReader.tagged(image);
      String reference = image.annotations().getOrDefault(BundleFormat.REFERENCE, digest.toString());
      putManifest(destination.sink(repository), result.manifests(), digest, reference);
      tagged.add(destination.describe(repository, reference));
    }
    return new Outcome(sent, skipped, tagged, result.index());
  }

  private void blob(Descriptor blob, Set<String> repositories, InputStream in) throws IOException {
    List<ImageSink> missing = new ArrayList<>();
    for (String repository : repositories) {
      ImageSink sink = sink(repository);
      if (!await(sink.hasBlob(blob)) && !await(sink.mount(blob, null))) {
        missing.add(sink);
      }
    }
    if (missing.isEmpty()) {
      skipped++;
      return;
    }
    ImageSink first = missing.get(0);
    if (destination.local()) {
      streamInto(first, blob, in);
    } else {
      Path work = Files.createTempFile(workDir, "blob-", ".part");
      try {
        Files.copy(in, work, StandardCopyOption.REPLACE_EXISTING);
        await(first.putBlob(blob, new BlobPayload.FromFile(work)));
        for (ImageSink other : missing.subList(1, missing.size())) {
          if (!await(other.mount(blob, first.origin().orElse(null)))) {
            await(other.putBlob(blob, new BlobPayload.FromFile(work)));
          }
        }
      } finally {
        Files.deleteIfExists(work);
      }
    }
    for (ImageSink other : destination.local() ? missing.subList(1, missing.size()) : List.<ImageSink>of()) {
      if (!await(other.hasBlob(blob)) && !await(other.mount(blob, null))) {
        throw new IOException("blob " + blob.digest() + " was stored but cannot be linked to a second repository");
      }
    }
    sent++;
  }

  /**
   * A local destination (the store, a layout) takes the entry straight from the tar; its sink
   * verifies size and digest before the blob is visible, and the entry's own check stops the pump.
   */
  private static void streamInto(ImageSink sink, Descriptor blob, InputStream in) throws IOException {
    PumpedStream stream = new PumpedStream();
    Future<Void> put = sink.putBlob(blob, new BlobPayload.FromStream(stream));
    try {
      stream.pump(in, put);
    } catch (IOException e) {
      try {
        Await.result(put, Duration.ofMinutes(1), "cancelling blob " + blob.digest());
      } catch (RuntimeException expected) {
        // the sink failed on the stream's error, as it should; the error to report is e
      }
      throw e;
    }
    await(put);
  }

  /** A differential bundle loads only where its base did: refuse before any tag moves. */
  private void requireBase(BundleReader.Result result) {
    List<String> absent = new ArrayList<>();
    for (BundleReader.Referenced ref : result.fromBase()) {
      for (String repository : ref.repositories()) {
        ImageSink sink = sink(repository);
        if (!await(sink.hasBlob(ref.blob())) && !await(sink.mount(ref.blob(), null))) {
          absent.add(ref.blob().digest() + " (" + repository + ")");
        }
      }
    }
    if (!absent.isEmpty()) {
      String base = result.index().base().bundle();
      throw new RefitException("this bundle is differential: " + absent.size() + " blob(s) it needs from base bundle "
          + base + " are not at the destination: " + String.join(", ", absent.subList(0, Math.min(5, absent.size())))
          + (absent.size() > 5 ? ", ..." : ""),
          "load " + base + " first (refit bundle load " + base + " with the same --to), then this bundle again",
          ExitCode.FAILED);
    }
  }

  /** The sink for a repository named in the bundle, below the destination's prefix. */
  private ImageSink sink(String bundleRepository) {
    return destination.sink(destination.repository(bundleRepository));
  }

  /** Children before parents, so the destination never holds a manifest whose content is missing. */
  private void putManifest(ImageSink sink, Map<Digest, RawManifest> manifests, Digest digest, String reference) {
    RawManifest raw = manifests.get(digest);
    if (MediaType.isIndex(raw.mediaType())) {
      for (Descriptor child : Index.parse(raw.bytes()).manifests()) {
        putManifest(sink, manifests, child.digest(), child.digest().toString());
      }
    }
    await(sink.putManifest(reference, raw));
  }

  private static <T> T await(Future<T> call) {
    return Await.result(call, CALL_TIMEOUT, "writing to the destination");
  }
}
