package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * The event-bus codec of a job message ({@link ImageTask}, {@link ClusterJob}) and of its reply
 * ({@link ImageOutcome}). Within one JVM the immutable record itself is delivered; across a
 * clustered bus it travels as length-prefixed JSON. Thread-safe.
 */
final class JobCodec<T> implements MessageCodec<T, T> {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  static final JobCodec<ImageTask> TASK = new JobCodec<>("refit-image-task", ImageTask.class,
      t -> new JsonObject().put("service", t.service()).put("upstream", t.upstream().toString()),
      j -> new ImageTask(j.getString("service"), ImageRef.parse(j.getString("upstream"))));
  static final JobCodec<ClusterJob> CLUSTER_JOB = new JobCodec<>("refit-cluster-job",
      ClusterJob.class, ClusterJob::toJson, ClusterJob::fromJson);
  static final JobCodec<ImageOutcome> OUTCOME = new JobCodec<>("refit-image-outcome",
      ImageOutcome.class, o -> new JsonObject(Json.mapper().convertValue(o, MAP)),
      j -> Json.mapper().convertValue(j.getMap(), ImageOutcome.class));

  private final String name;
  private final Class<T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  private JobCodec(String name, Class<T> type, Function<T, JsonObject> toJson,
      Function<JsonObject, T> fromJson) {
    this.name = name;
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** Registers the codecs as the defaults for their types, once per event bus. */
  static void registerOn(EventBus bus) {
    for (JobCodec<?> codec : new JobCodec<?>[] {TASK, CLUSTER_JOB, OUTCOME}) {
      register(bus, codec);
    }
  }

  private static <T> void register(EventBus bus, JobCodec<T> codec) {
    try {
      bus.registerDefaultCodec(codec.type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // An earlier run on the same Vert.x instance registered it.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer json = toJson.apply(value).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
