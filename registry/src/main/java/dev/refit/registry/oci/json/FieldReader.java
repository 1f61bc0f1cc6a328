package dev.refit.registry.oci.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.InvalidDigestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed, validating access to the fields of one JSON object, naming the offending field by its
 * path (e.g. {@code manifest.layers[2].digest}) in every error. Immutable; thread-safe.
 *
 * <p>Unknown fields are ignored: OCI image-spec considerations.md "Extensibility" says
 * implementations must ignore properties they do not understand.
 */
public final class FieldReader {
  private final ObjectNode node;
  private final String path;
  private final Function<String, ? extends RuntimeException> error;

  private FieldReader(ObjectNode node, String path, Function<String, ? extends RuntimeException> error) {
    this.node = Objects.requireNonNull(node, "node");
    this.path = path;
    this.error = error;
  }

  public static FieldReader of(
      ObjectNode node, String path, Function<String, ? extends RuntimeException> error) {
    return new FieldReader(node, path, error);
  }

  public ObjectNode node() {
    return node;
  }

  public String path() {
    return path;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** An exception for {@code field} with the reader's error factory. */
  public RuntimeException error(String field, String message) {
    return error.apply(path + "." + field + ": " + message);
  }

  public String optionalString(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(field, "must be a string, got " + typeOf(v));
    }
    return v.textValue();
  }

  public String requiredString(String field) {
    String s = optionalString(field);
    if (s == null) {
      throw error(field, "is required but missing");
    }
    return s;
  }

  /** An integral number that fits in an int. */
  public int requiredInt(String field) {
    JsonNode v = present(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(field, "must be an integer, got " + typeOf(v) + " " + abbreviate(v.toString()));
    }
    return v.intValue();
  }

  /** A byte count: an integral number, 0 or more, that fits in a long. */
  public long requiredSize(String field) {
    JsonNode v = present(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw error(field, "must be an integer byte count, got " + typeOf(v) + " "
          + abbreviate(v.toString()));
    }
    long size = v.longValue();
    if (size < 0) {
      throw error(field, "must be >= 0, got " + size);
    }
    return size;
  }

  public Digest requiredDigest(String field) {
    String s = requiredString(field);
    try {
      return Digest.parse(s);
    } catch (InvalidDigestException e) {
      throw error(field, Causes.describe(e));
    }
  }

  /** A map of string to string; empty when absent. Insertion order follows the document. */
  public Map<String, String> stringMap(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw error(field, "must be an object of strings, got " + typeOf(v));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw error(field + "." + e.getKey(), "must be a string, got " + typeOf(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /** A list of strings, or null when absent or JSON null (the difference matters for Cmd). */
  public List<String> optionalStringList(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw error(field, "must be an array of strings, got " + typeOf(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        throw error(field + "[" + i + "]", "must be a string, got " + typeOf(item));
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  /** The names of an object used as a set (Docker's {@code ExposedPorts}); empty when absent. */
  public List<String> keysOf(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isObject()) {
      throw error(field, "must be an object, got " + typeOf(v));
    }
    List<String> out = new ArrayList<>();
    v.fieldNames().forEachRemaining(out::add);
    return List.copyOf(out);
  }

  /** A nested object, or null when absent. */
  public FieldReader optionalObject(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw error(field, "must be an object, got " + typeOf(v));
    }
    return new FieldReader((ObjectNode) v, path + "." + field, error);
  }

  public FieldReader requiredObject(String field) {
    FieldReader r = optionalObject(field);
    if (r == null) {
      throw error(field, "is required but missing");
    }
    return r;
  }

  /** An array of objects; null when absent (callers decide whether that is allowed). */
  public List<FieldReader> optionalObjects(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw error(field, "must be an array, got " + typeOf(v));
    }
    List<FieldReader> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isObject()) {
        throw error(field + "[" + i + "]", "must be an object, got " + typeOf(item));
      }
      out.add(new FieldReader((ObjectNode) item, path + "." + field + "[" + i + "]", error));
    }
    return out;
  }

  public List<FieldReader> requiredObjects(String field) {
    List<FieldReader> r = optionalObjects(field);
    if (r == null) {
      throw error(field, "is required but missing (an empty array is allowed)");
    }
    return r;
  }

  private JsonNode present(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw error(field, "is required but missing");
    }
    return v;
  }

  static String typeOf(JsonNode v) {
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
