package dev.refit.pipeline.rebuild.docker;

/**
 * Receives the engine's build and push progress of one rebuild, one line at a time, as job events
 * want it. Implementations must be thread-safe: docker-java calls them from its own stream
 * threads, never from an event loop, so they must not block for long either.
 */
@FunctionalInterface
public interface ProgressListener {

  /** The step a progress line belongs to. */
  enum Phase { BUILD, PUSH }

  /** A listener that drops everything. */
  ProgressListener NONE = (service, phase, line) -> { };

  /**
   * One progress line.
   *
   * @param service the service being rebuilt (from the request)
   * @param phase build or push
   * @param line one line of engine output, without trailing newline
   */
  void onProgress(String service, Phase phase, String line);
}
