package dev.refit.pipeline.prepare;

import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.Map;

/**
 * Rebuild: the patched files as a new image on the local copy of its upstream, pushed under
 * the apex tag by the rebuilder (refit's own append, jib-core or the Docker engine), which runs on the worker pool.
 * Thread-safe.
 */
record RebuildStage(Rebuilder rebuilder, ApexTarget apex, WorkerExecutor work)
    implements Stage<PatchStage.Patched, RebuildStage.Rebuilt> {
  /** A patched image and what its rebuild published. */
  record Rebuilt(PatchStage.Patched patched, RebuildResult result) {}

  @Override
  public Future<Rebuilt> apply(PatchStage.Patched patched) {
    String service = patched.service();
    FetchResult fetched = patched.planned().fetched().result();
    ImageRef local = ImageRef.parse(fetched.local());
    ImageRef base = ImageRef.of(apex.address(), local.repository(), null, fetched.digest());
    RebuildRequest request = new RebuildRequest(service, base, apex.repository(service), apex.tag(),
        patched.applied(), patched.result(), Map.of());
    return work.executeBlocking(() -> new Rebuilt(patched, rebuilder.rebuild(request)), false);
  }
}
