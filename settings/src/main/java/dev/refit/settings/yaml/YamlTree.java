package dev.refit.settings.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.refit.error.Causes;
import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one YAML file into a {@link YamlNode} tree that keeps line and column of every key and
 * value, turning every parse or I/O failure into a {@link SettingsException}. Blocking; each call
 * is independent, so it is thread-safe.
 */
public final class YamlTree {

  // An empty plain value ("key:") must read as null, as in PyYAML, not as "".
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private final Path file;
  private final YAMLParser parser;

  private YamlTree(Path file, YAMLParser parser) {
    this.file = file;
    this.parser = parser;
  }

  /**
   * Reads the first document of {@code file}. An empty file gives an empty mapping, so that
   * "all keys optional" files can be empty.
   */
  public static YamlNode parse(Path file) {
    if (!Files.exists(file)) {
      throw new SettingsException(
          Location.of(file), "file not found", "check the path; relative paths are resolved "
              + "against the current directory");
    }
    if (!Files.isRegularFile(file)) {
      throw new SettingsException(Location.of(file), "not a regular file", "pass a YAML file");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        YAMLParser parser = FACTORY.createParser(reader)) {
      YamlTree tree = new YamlTree(file, parser);
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlMap(Map.of(), Location.of(file, 1, 1));
      }
      return tree.read(first);
    } catch (StreamReadException e) {
      throw new SettingsException(
          locationOf(file, e.getLocation()),
          "malformed YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""),
          "fix the YAML syntax at this position (indentation, a missing ':' or an unclosed quote)",
          e);
    } catch (MalformedInputException e) {
      throw new SettingsException(Location.of(file), "file is not valid UTF-8", "save it as UTF-8");
    } catch (NoSuchFileException e) {
      throw new SettingsException(Location.of(file), "file not found", "check the path");
    } catch (IOException e) {
      throw new SettingsException(
          Location.of(file), "cannot read file: " + Causes.describe(e), "check permissions", e);
    }
  }

  private YamlNode read(JsonToken token) throws IOException {
    Location at = here();
    if (parser.isCurrentAlias()) {
      // Jackson hands an alias (*name) over as the plain string "name", which would silently
      // replace the anchored value; refuse rather than misread.
      throw new SettingsException(at, "YAML aliases (*" + parser.getText() + ") are not supported",
          "write the value out instead of referring to an anchor");
    }
    switch (token) {
      case START_OBJECT:
        return readMap(at);
      case START_ARRAY:
        return readList(at);
      case VALUE_STRING:
        return new YamlScalar(parser.getText(), YamlScalar.Type.STRING, at);
      case VALUE_NUMBER_INT:
        return new YamlScalar(parser.getText(), YamlScalar.Type.INTEGER, at);
      case VALUE_NUMBER_FLOAT:
        return new YamlScalar(parser.getText(), YamlScalar.Type.FLOAT, at);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new YamlScalar(parser.getText(), YamlScalar.Type.BOOLEAN, at);
      case VALUE_NULL:
        return new YamlScalar("", YamlScalar.Type.NULL, at);
      default:
        throw new SettingsException(
            at, "unsupported YAML content (" + token + ")", "use plain mappings, lists and scalars");
    }
  }

  private YamlMap readMap(Location at) throws IOException {
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
      String key = parser.currentName();
      Location keyAt = here();
      YamlMap.Entry previous = entries.get(key);
      if (previous != null) {
        // YAML 1.2 §3.2.1.1 requires unique keys; PyYAML silently keeps the last one, which hides
        // typos in long files, so refit refuses.
        throw new SettingsException(
            keyAt,
            "duplicate key '" + key + "' (first at line " + previous.keyLocation().line() + ")",
            "remove one of the two entries");
      }
      YamlNode value = read(parser.nextToken());
      entries.put(key, new YamlMap.Entry(key, keyAt, value));
    }
    return new YamlMap(entries, at);
  }

  private YamlList readList(Location at) throws IOException {
    List<YamlNode> items = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      items.add(read(token));
    }
    return new YamlList(items, at);
  }

  private Location here() {
    return locationOf(file, parser.currentTokenLocation());
  }

  private static Location locationOf(Path file, JsonLocation location) {
    if (location == null || location.getLineNr() <= 0) {
      return Location.of(file);
    }
    return Location.of(file, location.getLineNr(), Math.max(1, location.getColumnNr()));
  }
}
