package dev.refit.pipeline.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The event-bus codec of an immutable job message or reply: within one JVM the record itself is
 * delivered; across a clustered bus it travels as length-prefixed JSON. Thread-safe.
 *
 * @param <T> the message type
 */
public final class JsonCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final Class<T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  private JsonCodec(String name, Class<T> type, Function<T, JsonObject> toJson,
      Function<JsonObject, T> fromJson) {
    this.name = name;
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** A codec named {@code name} (unique on the bus) for {@code type}. */
  public static <T> JsonCodec<T> of(String name, Class<T> type, Function<T, JsonObject> toJson,
      Function<JsonObject, T> fromJson) {
    return new JsonCodec<>(name, type, toJson, fromJson);
  }

  /** Registers the codecs as the defaults for their types; a codec already registered stays. */
  public static void registerOn(EventBus bus, JsonCodec<?>... codecs) {
    for (JsonCodec<?> codec : codecs) {
      register(bus, codec);
    }
  }

  private static <T> void register(EventBus bus, JsonCodec<T> codec) {
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
