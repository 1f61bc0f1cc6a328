package dev.refit.registry.oci.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  static final String D = "sha256:" + "e".repeat(64);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readObject_reportsLineAndColumnOfSyntaxError() {
    assertThatThrownBy(() -> Json.readObject(bytes("{\n\"a\": 1,\n\"b\": tru\n}"), "thing", IllegalStateException::new))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("thing is not valid JSON at line 3 column ")
        .hasMessageContaining("tru");
  }

  @Test
  void readObject_rejectsDuplicatesTrailingContentAndNonObjects() {
    assertThatThrownBy(() -> Json.readObject(bytes("{\"a\":1,\"a\":2}"), "x", IllegalArgumentException::new))
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> Json.readObject(bytes("{} {}"), "x", IllegalArgumentException::new))
        .hasMessage("x is not valid JSON at line 1 column 4: unexpected content after the end of the document");
    assertThatThrownBy(() -> Json.readObject(bytes("{} x"), "x", IllegalArgumentException::new))
        .hasMessageStartingWith("x is not valid JSON at line 1 column ")
        .hasMessageContaining("Unrecognized token 'x'");
    assertThatThrownBy(() -> Json.readObject(bytes("\"s\""), "x", IllegalArgumentException::new))
        .hasMessage("x must be a JSON object, got string");
    assertThatThrownBy(() -> Json.readObject(bytes("  "), "x", IllegalArgumentException::new))
        .hasMessage("x is empty: expected a JSON object");
  }

  @Test
  void write_isCompactInInsertionOrder() {
    ObjectNode o = Json.object().put("z", 1).put("a", "é");
    assertThat(new String(Json.write(o), StandardCharsets.UTF_8)).isEqualTo("{\"z\":1,\"a\":\"é\"}");
  }

  @Test
  void descriptor_roundTrip_keepsEveryModelledField() {
    Descriptor d = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.parse(D), 12,
        new Platform("windows", "amd64", null, "10.0.17763", List.of("win32k")), "application/x-type",
        Map.of("b", "2", "a", "1"));
    ObjectNode json = DescriptorJson.write(d);
    assertThat(json.toString()).isEqualTo("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"" + D + "\",\"size\":12,\"artifactType\":\"application/x-type\","
        + "\"annotations\":{\"a\":\"1\",\"b\":\"2\"},\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\","
        + "\"os.version\":\"10.0.17763\",\"os.features\":[\"win32k\"]}}");
    Descriptor back = DescriptorJson.read(FieldReader.of(json, "d", IllegalArgumentException::new));
    assertThat(back).isEqualTo(d);
  }

  @Test
  void fieldReader_namesThePathOfBadValues() {
    ObjectNode o = Json.readObject(bytes("{\"m\":{\"x\":[\"a\",3]},\"n\":{\"k\":1}}"), "doc", IllegalArgumentException::new);
    FieldReader r = FieldReader.of(o, "doc", IllegalArgumentException::new);
    assertThatThrownBy(() -> r.requiredObject("m").optionalStringList("x"))
        .hasMessage("doc.m.x[1]: must be a string, got number");
    assertThatThrownBy(() -> r.stringMap("n")).hasMessage("doc.n.k: must be a string, got number");
    assertThatThrownBy(() -> r.requiredString("missing")).hasMessage("doc.missing: is required but missing");
    assertThat(r.optionalString("missing")).isNull();
  }
}
