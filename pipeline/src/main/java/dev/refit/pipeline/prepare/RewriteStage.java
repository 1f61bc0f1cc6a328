package dev.refit.pipeline.prepare;

import dev.refit.pipeline.rewrite.ImageListRewriter;
import dev.refit.pipeline.rewrite.ImageMapping;
import dev.refit.pipeline.rewrite.RewriteResult;
import dev.refit.registry.oci.Digest;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrite, once all images are done: each image list points patched images at their apex
 * digest and the rest at their local mirror copy, then the report is written. All or nothing by
 * default: when any image failed no list is written, so a deployer is never sent to an unpatched
 * copy of an image that should have been patched; with {@code keepGoing} the lists are rewritten
 * and every entry of a failed image is left as it was. Both are file writes, on the worker pool.
 * {@code localAddress} is the configured local registry address, which image lists name;
 * {@code artifacts} (fetched before the jobs) only go into the report.
 * Thread-safe.
 */
record RewriteStage(List<Path> envFiles, boolean keepGoing, String localAddress,
    UpstreamConfig upstream, String osVersion, String apexTag, Path cacheDir,
    List<ArtifactOutcome> artifacts, WorkerExecutor work)
    implements Stage<List<ImageOutcome>, PrepareReport> {
  RewriteStage {
    envFiles = List.copyOf(envFiles);
    artifacts = List.copyOf(artifacts);
  }

  @Override
  public Future<PrepareReport> apply(List<ImageOutcome> outcomes) {
    return work.executeBlocking(() -> {
      List<String> failed = outcomes.stream().filter(o -> o.action() == Action.FAILED)
          .map(ImageOutcome::service).toList();
      List<String> rewritten = new ArrayList<>();
      String note = null;
      if (!envFiles.isEmpty() && !failed.isEmpty() && !keepGoing) {
        note = "image lists left unchanged: " + failed.size() + " of " + outcomes.size()
            + " image(s) failed; fix them and run again, or run with --keep-going to rewrite the"
            + " lists for the images that succeeded";
      } else if (!envFiles.isEmpty()) {
        for (RewriteResult r : ImageListRewriter.rewriteAll(envFiles, mapping(outcomes))) {
          rewritten.add(r.summary());
        }
        if (!failed.isEmpty()) {
          note = "--keep-going: the entries of the failed image(s) were left as they were: "
              + String.join(", ", failed);
        }
      }
      PrepareReport report = new PrepareReport(localAddress, outcomes, rewritten, note, artifacts);
      report.writeTo(cacheDir);
      return report;
    }, false);
  }

  /**
   * Only images pushed now, or found with the same build key, point at the apex tag. A failed
   * image gets no mapping: it is held, even when its upstream copy was mirrored.
   */
  private ImageMapping mapping(List<ImageOutcome> outcomes) {
    ImageMapping mapping = ImageMapping.of(localAddress).withApexTag(apexTag);
    for (ImageOutcome o : outcomes) {
      if (o.action() == Action.FAILED) {
        mapping = mapping.withHeldImage(upstream.localRepositoryFor(osVersion, o.service()));
      } else if ((o.action() == Action.PATCHED || o.action() == Action.UNCHANGED) && o.apexDigest() != null) {
        mapping = mapping.withApexImage(upstream.localRepositoryFor(osVersion, o.service()),
            Digest.parse(o.apexDigest()));
      } else if (o.upstreamDigest() != null) {
        // A layout upstream has no registry name: its mirror is known by the local repository.
        String mirrored = o.upstream().startsWith("oci:") ? localAddress + "/"
            + upstream.localRepositoryFor(osVersion, o.service()) + ":" + upstream.tag() : o.upstream();
        mapping = mapping.withMirrorDigest(mirrored, Digest.parse(o.upstreamDigest()));
      }
    }
    return mapping;
  }
}
