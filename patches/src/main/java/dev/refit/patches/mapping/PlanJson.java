package dev.refit.patches.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.refit.error.Causes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The stable JSON form of a {@link Plan} (docs/plan-json.md): fields in a fixed order, nulls
 * written, two-space indentation, a final newline. Thread-safe.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PlanJson() {}

  public static String write(Plan plan) {
    try {
      return MAPPER.writeValueAsString(plan).replace("\r\n", "\n") + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Plan read(String json) {
    try {
      return MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), Plan.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a refit plan: " + Causes.describe(e), e);
    }
  }
}
