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
 * digest and the rest at their local mirror copy, then the report is written. Both are file
 * writes, on the worker pool. {@code localAddress} is the configured local registry address,
 * which image lists name. Thread-safe.
 */
record RewriteStage(List<Path> envFiles, String localAddress, UpstreamConfig upstream,
    String osVersion, String apexTag, Path cacheDir, WorkerExecutor work)
    implements Stage<List<ImageOutcome>, PrepareReport> {
  RewriteStage {
    envFiles = List.copyOf(envFiles);
  }

  @Override
  public Future<PrepareReport> apply(List<ImageOutcome> outcomes) {
    return work.executeBlocking(() -> {
      List<String> rewritten = new ArrayList<>();
      if (!envFiles.isEmpty()) {
        for (RewriteResult r : ImageListRewriter.rewriteAll(envFiles, mapping(outcomes))) {
          rewritten.add(r.summary());
        }
      }
      PrepareReport report = new PrepareReport(localAddress, outcomes, rewritten);
      report.writeTo(cacheDir);
      return report;
    }, false);
  }

  /** Only images pushed now, or found with the same build key, point at the apex tag. */
  private ImageMapping mapping(List<ImageOutcome> outcomes) {
    ImageMapping mapping = ImageMapping.of(localAddress).withApexTag(apexTag);
    for (ImageOutcome o : outcomes) {
      if ((o.action() == Action.PATCHED || o.action() == Action.UNCHANGED) && o.apexDigest() != null) {
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
