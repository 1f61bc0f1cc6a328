package dev.refit.patches.dockerfile;

import dev.refit.patches.engine.PatchException;

/**
 * A Dockerfile or archive that refit cannot write: empty or contradictory input, a value Docker
 * cannot express, or an IO failure. The message names the image and what to do. Immutable.
 */
public final class DockerfileException extends PatchException {

  public DockerfileException(String message) {
    super(message);
  }

  public DockerfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
