package dev.refit.registry.oci.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * The one shared Jackson {@link ObjectMapper} refit uses for OCI JSON, plus strict tree reading
 * with line/column error messages. Thread-safe (the mapper is configured once, then only read).
 *
 * <p>The mapper is strict on input: duplicate object keys and trailing tokens are rejected, because
 * two parsers reading a duplicated key differently is how manifests get smuggled past a check. It
 * writes compact JSON in insertion order, which is what refit's own serialisers rely on for a
 * stable byte form of new documents.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /** Trailing content is checked by hand in readObject, for a message a user can act on. */
  private static final ObjectReader TREE_READER =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** The shared mapper. Do not reconfigure it; copy it ({@code mapper().copy()}) if you must. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A fresh, empty object node of the shared node factory. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Reads a JSON document that must be an object.
   *
   * @param what names the document in messages, e.g. "manifest"
   * @param error builds the domain exception from a finished message
   */
  public static ObjectNode readObject(
      byte[] json, String what, Function<String, ? extends RuntimeException> error) {
    if (json == null || json.length == 0) {
      throw error.apply(what + " is empty: expected a JSON object");
    }
    JsonNode node;
    try (JsonParser parser = MAPPER.createParser(json)) {
      node = TREE_READER.readTree(parser);
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw error.apply(what + " is not valid JSON at line " + at.getLineNr() + " column "
            + at.getColumnNr() + ": unexpected content after the end of the document");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      throw error.apply(what + " is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + what + " from memory", e);
    }
    if (node == null || node.isMissingNode()) {
      throw error.apply(what + " is empty: expected a JSON object");
    }
    if (!node.isObject()) {
      throw error.apply(what + " must be a JSON object, got " + node.getNodeType().name()
          .toLowerCase(java.util.Locale.ROOT));
    }
    return (ObjectNode) node;
  }

  /** Compact UTF-8 bytes of a tree, fields in insertion order. */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a JSON tree cannot fail: " + e.getMessage(), e);
    }
  }
}
