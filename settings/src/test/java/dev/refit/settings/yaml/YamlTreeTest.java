package dev.refit.settings.yaml;

import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlTreeTest {

  @TempDir Path dir;

  @Test
  void parse_nestedMapping_keepsKeyAndValueLocations() {
    Path file = write(dir, "a.yaml", """
        top:
          inner: value
          list:
            - 1
            - "true"
        """);
    YamlMap root = (YamlMap) YamlTree.parse(file);
    YamlMap top = (YamlMap) root.entry("top").orElseThrow().value();
    YamlMap.Entry inner = top.entry("inner").orElseThrow();
    assertThat(inner.keyLocation().line()).isEqualTo(2);
    assertThat(inner.keyLocation().column()).isEqualTo(3);
    assertThat(inner.value().location().line()).isEqualTo(2);
    assertThat(inner.value().location().column()).isEqualTo(10);
    YamlList list = (YamlList) top.entry("list").orElseThrow().value();
    YamlScalar one = (YamlScalar) list.items().get(0);
    YamlScalar quoted = (YamlScalar) list.items().get(1);
    assertThat(one.type()).isEqualTo(YamlScalar.Type.INTEGER);
    assertThat(one.location().line()).isEqualTo(4);
    assertThat(one.location().column()).isEqualTo(7);
    assertThat(quoted.type()).isEqualTo(YamlScalar.Type.STRING);
    assertThat(quoted.text()).isEqualTo("true");
    assertThat(inner.keyLocation().file()).isEqualTo(file);
  }

  @Test
  void parse_malformedYaml_failsWithFileLineAndColumn() {
    Path file = write(dir, "bad.yaml", """
        a: 1
        b: [1, 2
        c: 3
        """);
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(2);
          assertThat(e.problem()).startsWith("malformed YAML");
          assertThat(e.getMessage()).startsWith(file + ":3:2: malformed YAML");
          assertThat(e.hint()).isNotEmpty();
        });
  }

  @Test
  void parse_badIndentation_failsWithLocation() {
    Path file = write(dir, "indent.yaml", "a:\n  b: 1\n c: 2\n");
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.problem()).startsWith("malformed YAML");
        });
  }

  @Test
  void parse_missingFile_failsWithFileNotFound() {
    Path file = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isZero();
          assertThat(e.getMessage()).isEqualTo(file + ": file not found");
          assertThat(e.hint()).isNotBlank();
        });
  }

  @Test
  void parse_directory_failsAsNotAFile() {
    assertThatThrownBy(() -> YamlTree.parse(dir))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void parse_duplicateKey_failsAtSecondKey() {
    Path file = write(dir, "dup.yaml", "a: 1\nb: 2\na: 3\n");
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(1);
          assertThat(e.problem()).isEqualTo("duplicate key 'a' (first at line 1)");
        });
  }

  @Test
  void parse_emptyFile_givesEmptyMapping() {
    Path file = write(dir, "empty.yaml", "# only a comment\n");
    YamlNode node = YamlTree.parse(file);
    assertThat(node).isInstanceOfSatisfying(YamlMap.class, m -> assertThat(m.keys()).isEmpty());
  }

  @Test
  void parse_nullAndBooleans_resolvedTypes() {
    Path file = write(dir, "t.yaml", "a:\nb: false\nc: 1.5\n");
    YamlMap root = (YamlMap) YamlTree.parse(file);
    assertThat(((YamlScalar) root.entry("a").orElseThrow().value()).isNull()).isTrue();
    assertThat(((YamlScalar) root.entry("b").orElseThrow().value()).type())
        .isEqualTo(YamlScalar.Type.BOOLEAN);
    assertThat(((YamlScalar) root.entry("c").orElseThrow().value()).type())
        .isEqualTo(YamlScalar.Type.FLOAT);
  }

  @Test
  void parse_alias_failsInsteadOfReadingAnchorName() {
    Path file = write(dir, "alias.yaml", "a: &x 1\nb: *x\n");
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.problem()).isEqualTo("YAML aliases (*x) are not supported");
        });
  }

  @Test
  void parse_invalidUtf8_failsWithFile() throws Exception {
    Path file = dir.resolve("latin1.yaml");
    java.nio.file.Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
    assertThatThrownBy(() -> YamlTree.parse(file))
        .isInstanceOfSatisfying(SettingsException.class,
            e -> assertThat(e.file()).isEqualTo(file));
  }

  @Test
  void mapReader_topLevelList_failsExpectingMapping() {
    Path file = write(dir, "list.yaml", "- a\n- b\n");
    assertThatThrownBy(() -> MapReader.of(YamlTree.parse(file), ""))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.problem()).isEqualTo("expected a mapping, found a list");
        });
  }
}
