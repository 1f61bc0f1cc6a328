package dev.refit.pipeline.prepare;

import dev.refit.pipeline.fetch.FetchAction;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One image's job as a coordinator sends it to a cluster worker: the run it belongs to, the
 * coordinator's refit version, what the worker needs to set up the run, the image and what the
 * coordinator fetched for it. Immutable; thread-safe.
 *
 * @param run the coordinator's run id; a worker sets a run up once
 * @param version the coordinator's refit version; a worker of another version refuses the job
 * @param fetched the image's copy in the shared registry (its copy statistics stay with the
 *     coordinator)
 */
record ClusterJob(String run, String version, RunSpec spec, ImageTask task, FetchResult fetched) {
  ClusterJob {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(fetched, "fetched");
  }

  JsonObject toJson() {
    return new JsonObject().put("run", run).put("version", version).put("spec", spec.toJson())
        .put("service", task.service()).put("upstream", task.upstream().toString())
        .put("fetched", new JsonObject().put("upstream", fetched.upstream())
            .put("local", fetched.local()).put("digest", fetched.digest().toString())
            .put("mediaType", fetched.mediaType()).put("action", fetched.action().name()));
  }

  static ClusterJob fromJson(JsonObject j) {
    JsonObject f = j.getJsonObject("fetched");
    return new ClusterJob(j.getString("run"), j.getString("version"),
        RunSpec.fromJson(j.getJsonObject("spec")),
        new ImageTask(j.getString("service"), ImageRef.parse(j.getString("upstream"))),
        new FetchResult(f.getString("upstream"), f.getString("local"),
            Digest.parse(f.getString("digest")), f.getString("mediaType"),
            FetchAction.valueOf(f.getString("action")), null));
  }
}
