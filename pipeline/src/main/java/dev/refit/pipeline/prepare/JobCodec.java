package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.refit.pipeline.cluster.JsonCodec;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.json.Json;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The event-bus codecs of a prepare job message ({@link ImageTask}, {@link ClusterJob}) and of
 * its reply ({@link ImageOutcome}). Thread-safe.
 */
final class JobCodec {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  static final JsonCodec<ImageTask> TASK = JsonCodec.of("refit-image-task", ImageTask.class,
      t -> new JsonObject().put("service", t.service()).put("upstream", t.upstream().toString()),
      j -> new ImageTask(j.getString("service"), ImageRef.parse(j.getString("upstream"))));
  static final JsonCodec<ClusterJob> CLUSTER_JOB = JsonCodec.of("refit-cluster-job",
      ClusterJob.class, ClusterJob::toJson, ClusterJob::fromJson);
  static final JsonCodec<ImageOutcome> OUTCOME = JsonCodec.of("refit-image-outcome",
      ImageOutcome.class, o -> new JsonObject(Json.mapper().convertValue(o, MAP)),
      j -> Json.mapper().convertValue(j.getMap(), ImageOutcome.class));

  private JobCodec() {}

  /** Registers the codecs as the defaults for their types, once per event bus. */
  static void registerOn(EventBus bus) {
    JsonCodec.registerOn(bus, TASK, CLUSTER_JOB, OUTCOME);
  }
}
