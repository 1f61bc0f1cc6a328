package dev.refit.pipeline.cluster;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** The cluster could not form or this node may not join it; exit 1 with the reason. */
public final class ClusterException extends RefitException {
  public ClusterException(String message, String hint) {
    super(message, hint, ExitCode.FAILED);
  }
}
