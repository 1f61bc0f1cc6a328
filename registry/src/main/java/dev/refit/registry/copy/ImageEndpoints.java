package dev.refit.registry.copy;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Turns an {@link ImageRef} into the source or sink it names ({@code docker://} → registry,
 * {@code oci:} → layout) and the reference string to pass to {@link ImageCopier}. Registry
 * endpoints own their client: close them when done. Stateless;
 * layouts are opened on the {@code refit-copy-layout} worker pool.
 */
public final class ImageEndpoints {
  private ImageEndpoints() {}

  public static Future<ImageSource> source(Vertx vertx, ImageRef ref, ClientOptions options) {
    return switch (ref.transport()) {
      case DOCKER -> Future.succeededFuture(
          RegistrySource.owning(RegistryClient.create(vertx, ref.registry(), options), ref.repository()));
      case OCI -> onLayoutPool(vertx, () -> OciLayout.open(ref.path()))
          .map(layout -> new LayoutSource(vertx, layout));
      default -> unsupported(ref);
    };
  }

  /** A registry repository, or a layout directory (created when absent). */
  public static Future<ImageSink> sink(Vertx vertx, ImageRef ref, ClientOptions options) {
    return switch (ref.transport()) {
      case DOCKER -> Future.succeededFuture(
          RegistrySink.owning(RegistryClient.create(vertx, ref.registry(), options), ref.repository()));
      case OCI -> onLayoutPool(vertx, () -> OciLayout.create(ref.path()))
          .map(layout -> new LayoutSink(vertx, layout));
      default -> unsupported(ref);
    };
  }

  /** What to read: the digest when pinned, else the tag; {@code @N} or the name for layouts. */
  public static String sourceReference(ImageRef ref) {
    if (ref.transport() == ImageRef.Transport.OCI) {
      return ref.sourceIndex() >= 0 ? "@" + ref.sourceIndex() : ref.tag();
    }
    return ref.digest() != null ? ref.digest().toString() : ref.tag();
  }

  /** Where to write: the tag when given, else the digest (null: by digest only). */
  public static String targetReference(ImageRef ref) {
    return ref.tag() != null ? ref.tag() : ref.digest() == null ? null : ref.digest().toString();
  }

  private static Future<OciLayout> onLayoutPool(Vertx vertx, Callable<OciLayout> open) {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor(LayoutSource.POOL, 4);
    return pool.executeBlocking(open, false).eventually(pool::close);
  }

  private static <T> Future<T> unsupported(ImageRef ref) {
    return Future.failedFuture(new ImageCopyException(ref.transport().prefix()
        + ": is not supported for copying yet (" + ref + "); use docker:// or oci:"));
  }
}
