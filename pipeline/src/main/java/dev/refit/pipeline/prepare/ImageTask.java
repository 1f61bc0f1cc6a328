package dev.refit.pipeline.prepare;

import dev.refit.registry.oci.ImageRef;
import java.util.Objects;

/**
 * One image's job as it travels on the event bus: the service and its upstream reference.
 * Immutable; thread-safe.
 */
record ImageTask(String service, ImageRef upstream) {
  ImageTask {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(upstream, "upstream");
  }
}
