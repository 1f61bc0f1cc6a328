package dev.refit.pipeline.rebuild;

/**
 * Builds a patched image on top of its base and publishes it under the requested tag. Blocking:
 * implementations do network and file IO on the calling thread, so callers run them on a named
 * worker pool ({@code vertx.executeBlocking(callable, false)}), never on an event loop.
 */
public interface Rebuilder {

  /** Short builder name, recorded in provenance and the build key (e.g. {@code daemonless}). */
  String name();

  /**
   * Builds and publishes one image: blobs first, manifest last. Returns with {@code skipped} set
   * when the tag already carries the same build key. Blocking.
   *
   * @throws RebuildException when the build or the push fails
   */
  RebuildResult rebuild(RebuildRequest request);
}
