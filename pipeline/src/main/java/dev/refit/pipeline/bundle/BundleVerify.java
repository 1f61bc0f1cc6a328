package dev.refit.pipeline.bundle;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code refit bundle verify}: one streaming pass that hashes every blob against its name, and
 * checks the file against its own index and manifests. Exit 1 names every corrupt or missing
 * entry. Blocking.
 */
public final class BundleVerify {
  private static final int MAX_NAMED = 20;

  private BundleVerify() {}

  /** The bundle's index when everything checks out; else a {@link RefitException} (exit 1). */
  public static BundleIndex run(Path bundle) {
    if (!Files.isRegularFile(bundle)) {
      throw new RefitException("no bundle at " + bundle, "give the path of a file bundle create wrote",
          ExitCode.USAGE);
    }
    BundleReader.Result result;
    try {
      result = BundleReader.read(bundle, (blob, repositories, in) -> in.transferTo(OutputStream.nullOutputStream()));
    } catch (IOException e) {
      throw new RefitException("cannot read " + bundle + ": " + e.getMessage(), "check the path and permissions",
          ExitCode.FAILED);
    }
    if (!result.problems().isEmpty()) {
      throw failed(bundle, result.problems());
    }
    return result.index();
  }

  static RefitException failed(Path bundle, List<String> problems) {
    List<String> named = problems.subList(0, Math.min(MAX_NAMED, problems.size()));
    return new RefitException(bundle + " failed verification, " + problems.size() + " problem(s):\n  "
        + String.join("\n  ", named) + (problems.size() > named.size() ? "\n  ..." : ""),
        "copy the bundle again from the connected side (compare it with its .index.json), or create it again",
        ExitCode.FAILED);
  }
}
