package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.prepare.Action;
import dev.refit.pipeline.prepare.ImageOutcome;
import dev.refit.pipeline.prepare.PrepareReport;
import java.nio.file.Path;
import java.util.List;

/**
 * Some images of a prepare run failed (the others finished); thrown after the report is printed
 * so the run ends like every other failure. Exits {@link ExitCode#FAILED}. Immutable.
 */
final class ImagesFailedException extends RefitException {

  private ImagesFailedException(String message, String hint) {
    super(message, hint, ExitCode.FAILED);
  }

  /** Throws when the report has a failed image; {@code reportFile} is where its reasons are. */
  static void check(PrepareReport report, Path reportFile) {
    List<String> failed = report.images().stream().filter(i -> i.action() == Action.FAILED)
        .map(ImageOutcome::service).toList();
    if (!failed.isEmpty()) {
      throw new ImagesFailedException(failed.size() + " of " + report.images().size()
          + " image(s) failed: " + String.join(", ", failed), "each failed image's reason is in "
          + "the report (" + reportFile + "); fix it and run again, finished images are not redone");
    }
  }
}
