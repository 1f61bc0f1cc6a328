package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker config.json credential helpers ({@code credHelpers}, {@code credsStore}): a helper
 * script the test writes onto its own search path, against the embedded registry with htpasswd.
 */
class CredentialHelperTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private InProcessRegistry registry;
  private Vertx vertx;
  private Path bin;
  private Path dockerDir;

  @BeforeEach
  void start() throws Exception {
    Path htpasswd = Files.writeString(tmp.resolve("htpasswd"),
        "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "s3cret".toCharArray()) + "\n");
    registry = InProcessRegistry.start(RegistryConfig.defaults(tmp.resolve("store")).withHtpasswd(htpasswd));
    vertx = Vertx.vertx();
    bin = Files.createDirectories(tmp.resolve("bin"));
    dockerDir = Files.createDirectories(tmp.resolve("docker"));
    // Answers for the registry under test only, and logs every server URL it was asked about.
    helper("refit-test", """
        #!/bin/sh
        [ "$1" = get ] || exit 2
        read -r url
        echo "$url" >> "%s"
        if [ "$url" = "%s" ]; then
          printf '{"ServerURL":"%%s","Username":"alice","Secret":"s3cret"}' "$url"
        else
          echo "credentials not found in native keychain"
          exit 1
        fi
        """.formatted(tmp.resolve("asked"), registry.hostPort()));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void credHelpers_helperOnPath_givesCredentialsTheRegistryAccepts() throws Exception {
    config("{\"credHelpers\":{\"" + registry.hostPort() + "\":\"refit-test\"}}");

    Optional<Credentials> found = DockerConfig.load(dockerDir).withSearchPath(bin.toString())
        .credentialsFor(registry.hostPort());

    assertThat(found).contains(Credentials.of("alice", "s3cret"));
    assertThat(Files.readString(tmp.resolve("asked")).trim()).isEqualTo(registry.hostPort());
    Descriptor blob = pushBlob(ClientOptions.defaults().withCredentials(found.orElseThrow()));
    RegistryClient anonymous = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
    assertThatThrownBy(() -> Await.result(anonymous.headBlob("lab/x", blob.digest()), WAIT, "anonymous HEAD"))
        .as("the registry does require the credentials").hasMessageContaining("requires a user name and password");
  }

  @Test
  void credsStore_helperHasNothing_fallsBackToAuths() throws Exception {
    config("{\"credsStore\":\"refit-test\",\"auths\":{\"other.example\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
    DockerConfig docker = DockerConfig.load(dockerDir).withSearchPath(bin.toString());

    assertThat(docker.credentialsFor(registry.hostPort())).contains(Credentials.of("alice", "s3cret"));
    assertThat(docker.credentialsFor("other.example")).contains(Credentials.of("bob", "pw"));
    assertThat(docker.credentialsFor("docker.io")).isEmpty();
    assertThat(Files.readAllLines(tmp.resolve("asked")))
        .containsExactly(registry.hostPort(), "other.example", "https://index.docker.io/v1/");
  }

  @Test
  void credHelpers_helperMissing_failsNamingIt_credsStoreMissing_isSkipped() throws Exception {
    config("{\"credHelpers\":{\"a.example\":\"absent\"},\"credsStore\":\"absent-too\","
        + "\"auths\":{\"b.example\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
    DockerConfig docker = DockerConfig.load(dockerDir).withSearchPath(bin.toString());

    assertThatThrownBy(() -> docker.credentialsFor("a.example"))
        .isInstanceOf(RegistryClientException.class).hasMessageContaining("docker-credential-absent");
    assertThat(docker.credentialsFor("b.example")).contains(Credentials.of("bob", "pw"));
  }

  @Test
  void helper_answersGarbage_failsNamingTheHelper() throws Exception {
    helper("broken", "#!/bin/sh\necho not json\n");
    config("{\"credHelpers\":{\"c.example\":\"broken\"}}");

    assertThatThrownBy(() -> DockerConfig.load(dockerDir).withSearchPath(bin.toString()).credentialsFor("c.example"))
        .hasMessageContaining("docker-credential-broken").hasMessageContaining("not JSON");
  }

  /** Pushes a blob and HEADs it back, both authenticated with {@code options}' credentials. */
  private Descriptor pushBlob(ClientOptions options) throws Exception {
    byte[] bytes = "a layer".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = Files.write(tmp.resolve("blob"), bytes);
    Descriptor blob = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(bytes), bytes.length);
    RegistryClient client = RegistryClient.create(vertx, registry.hostPort(), options);
    Await.result(client.pushBlob("lab/x", blob, file, null), WAIT, "pushing with the helper's credentials");
    assertThat(Await.result(client.headBlob("lab/x", blob.digest()), WAIT, "HEAD")).contains((long) bytes.length);
    return blob;
  }

  private void helper(String name, String script) throws Exception {
    Path file = bin.resolve(CredentialHelper.PREFIX + name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void config(String json) throws Exception {
    Files.writeString(dockerDir.resolve("config.json"), json);
  }
}
