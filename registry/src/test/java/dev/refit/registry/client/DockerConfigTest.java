package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  private static DockerConfig parse(String json) {
    return DockerConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void credentialsFor_keyShapes_allMatchByHost() {
    DockerConfig c = parse("{\"auths\":{"
        + "\"https://Quay.io/v1/\":{\"auth\":\"" + b64("q:1") + "\"},"
        + "\"registry.example:5000\":{\"username\":\"e\",\"password\":\"p:with:colons\"},"
        + "\"http://plain.example\":{\"auth\":\"" + b64("p:x") + "\"}}}");
    assertThat(c.credentialsFor("quay.io")).contains(Credentials.of("q", "1"));
    assertThat(c.credentialsFor("registry.example:5000")).contains(Credentials.of("e", "p:with:colons"));
    assertThat(c.credentialsFor("plain.example")).contains(Credentials.of("p", "x"));
    assertThat(c.credentialsFor("registry.example")).as("port is part of the key").isEmpty();
  }

  @Test
  void credentialsFor_dockerHubLegacyKey_answersForDockerIo() {
    DockerConfig c = parse("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pw") + "\"}}}");
    assertThat(c.credentialsFor("docker.io")).contains(Credentials.of("hub", "pw"));
    assertThat(c.credentialsFor("registry-1.docker.io")).contains(Credentials.of("hub", "pw"));
  }

  @Test
  void parse_credentialHelperEntryOnly_isIgnored(@TempDir Path emptyPath) {
    DockerConfig c = parse("{\"auths\":{\"ghcr.io\":{}},\"credsStore\":\"desktop\"}")
        .withSearchPath(emptyPath.toString());
    assertThat(c.credentialsFor("ghcr.io")).isEmpty();
  }

  @Test
  void parse_authWithoutColon_failsWithHint() {
    assertThatThrownBy(() -> parse("{\"auths\":{\"a.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}"))
        .isInstanceOf(RegistryClientException.class).hasMessageContaining("a.io").hasMessageContaining("user:password");
  }

  @Test
  void parse_invalidJson_failsNamingTheFile() {
    assertThatThrownBy(() -> parse("{not json")).hasMessageContaining("config.json").hasMessageContaining("not valid JSON");
  }

  @Test
  void load_missingFile_isEmpty(@TempDir Path dir) throws Exception {
    assertThat(DockerConfig.load(dir).credentialsFor("x.io")).isEmpty();
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"x.io\":{\"auth\":\"" + b64("a:b") + "\"}}}");
    assertThat(DockerConfig.load(dir).credentialsFor("x.io")).contains(Credentials.of("a", "b"));
  }

  @Test
  void credentials_toString_hidesPassword() {
    assertThat(Credentials.of("u", "topsecret").toString()).doesNotContain("topsecret");
  }
}
