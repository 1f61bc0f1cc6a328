package dev.refit.pipeline.mirror;

import dev.refit.pipeline.cluster.JsonCodec;
import dev.refit.registry.oci.Platform;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One image of a mirror run as a coordinator sends it to a cluster worker: the run, the
 * coordinator's refit version, what the worker needs to set the run up, and the
 * {@link MirrorItem} with its source named rather than connected. Immutable; thread-safe.
 *
 * @param run the coordinator's run id; a worker sets a run up once
 * @param version the coordinator's refit version; a worker of another version refuses the job
 * @param sourceKey the sync file's registry key of the source (its {@code tls-verify},
 *     {@code credentials} and {@code cert-dir}), or the host of a {@code docker://} reference
 */
record MirrorJob(String run, String version, Spec spec, String sourceKey, String sourceRepository,
    String ref, List<String> parts, String destRepository, String destRef, Set<Platform> platforms) {
  static final JsonCodec<MirrorJob> CODEC = JsonCodec.of("refit-mirror-job", MirrorJob.class,
      MirrorJob::toJson, MirrorJob::fromJson);
  static final JsonCodec<MirrorOutcome> OUTCOME = JsonCodec.of("refit-mirror-outcome",
      MirrorOutcome.class, MirrorOutcome::toJson, MirrorOutcome::fromJson);

  /**
   * What every job of a run shares; a worker reads the sync file at the coordinator's path.
   *
   * @param syncFile the sync YAML, absolute, or null when references named the images
   * @param to the destination, {@code docker://HOST[:PORT][/PREFIX]}
   * @param blobsInFlight blob transfers in flight on each worker ({@code --concurrency})
   */
  record Spec(Path syncFile, String to, boolean destTlsVerify, int blobsInFlight) {
    Spec {
      Objects.requireNonNull(to, "to");
    }
  }

  MirrorJob {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(spec, "spec");
    parts = List.copyOf(parts);
    platforms = Set.copyOf(platforms);
  }

  /** The job of {@code item}, whose source is a repository of the registry {@code sourceKey}. */
  static MirrorJob of(String run, String version, Spec spec, String sourceKey, MirrorItem item) {
    return new MirrorJob(run, version, spec, sourceKey, item.source().repository(), item.ref(),
        item.parts(), item.destRepository(), item.destRef(), item.platforms());
  }

  /** The item again, reading from {@code source} (the worker's connection to it). */
  MirrorItem item(SourceRepo source) {
    return new MirrorItem(source, ref, parts, destRepository, destRef, platforms);
  }

  static void registerOn(EventBus bus) {
    JsonCodec.registerOn(bus, CODEC, OUTCOME);
  }

  JsonObject toJson() {
    return new JsonObject().put("run", run).put("version", version)
        .put("spec", new JsonObject()
            .put("syncFile", spec.syncFile() == null ? null : spec.syncFile().toString())
            .put("to", spec.to()).put("destTlsVerify", spec.destTlsVerify())
            .put("blobsInFlight", spec.blobsInFlight()))
        .put("sourceKey", sourceKey).put("sourceRepository", sourceRepository).put("ref", ref)
        .put("parts", new JsonArray(parts)).put("destRepository", destRepository)
        .put("destRef", destRef)
        .put("platforms", new JsonArray(platforms.stream().map(Platform::toString).toList()));
  }

  static MirrorJob fromJson(JsonObject j) {
    JsonObject s = j.getJsonObject("spec");
    Spec spec = new Spec(s.getString("syncFile") == null ? null : Path.of(s.getString("syncFile")),
        s.getString("to"), s.getBoolean("destTlsVerify"), s.getInteger("blobsInFlight"));
    return new MirrorJob(j.getString("run"), j.getString("version"), spec, j.getString("sourceKey"),
        j.getString("sourceRepository"), j.getString("ref"), strings(j.getJsonArray("parts")),
        j.getString("destRepository"), j.getString("destRef"),
        Set.copyOf(strings(j.getJsonArray("platforms")).stream().map(Platform::parse).toList()));
  }

  private static List<String> strings(JsonArray a) {
    return a.stream().map(String.class::cast).toList();
  }
}
