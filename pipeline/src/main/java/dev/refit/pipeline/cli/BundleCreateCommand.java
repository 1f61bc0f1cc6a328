package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.pipeline.bundle.BundleCreate;
import dev.refit.pipeline.bundle.BundleIndex;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code refit bundle create}: the images of a skopeo-sync YAML, in one tar. Blocking. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Write the images of a skopeo-sync YAML file into one tar that is an OCI layout"
          + " (skopeo copy oci-archive:FILE:REPO:TAG) and a docker-save archive (docker load -i FILE),"
          + " with its index beside it as NAME.index.json.",
      "Exit 0 written, 1 a source failed or holds a corrupt blob, 2 bad usage or settings."
    })
final class BundleCreateCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "SYNC.yaml",
      description = "skopeo-sync YAML (with refit's keys under refit:).")
  Path file;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.tar", description = "The bundle to write.")
  Path output;

  @Option(names = "--since", paramLabel = "BUNDLE|INDEX.json",
      description = "An earlier bundle or its .index.json: carry only the configs and layers it lacks.")
  Path since;

  @Mixin NamingOptions naming;

  @Override
  public Integer call() throws Exception {
    BundleIndex index = CommandVertx.run(vertx -> BundleCreate.run(vertx, file, output, since, naming.platforms,
        naming.naming()));
    long bytes = index.blobs().stream().mapToLong(BundleIndex.Blob::size).sum();
    global.out().printf("%s: %d image(s), %d blob(s), %d bytes of blobs%s%n", output, index.images().size(),
        index.blobs().size(), bytes, index.base() == null ? ""
            : "; needs " + index.base().blobs().size() + " blob(s) of " + index.base().bundle());
    global.out().flush();
    return ExitCode.DONE.code();
  }
}
