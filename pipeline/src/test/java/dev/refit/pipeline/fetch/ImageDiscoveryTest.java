package dev.refit.pipeline.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.ExitCode;
import dev.refit.patches.mapping.MappingException;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image discovery as {@code plan} and {@code prepare} share it: online from a real registry's
 * catalog, recorded in the cache index; offline from that record only, with the registry gone.
 */
class ImageDiscoveryTest {
  private static final String TAG = "t";

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static UpstreamConfig upstream(String host) {
    return new UpstreamConfig(UpstreamConfig.Kind.REGISTRY, null, host, "tripleomaster", "centos-binary-", TAG);
  }

  private UpstreamAccess access(boolean noFetch) {
    return UpstreamAccess.of(vertx, ClientOptions.defaults(), tmp.resolve("cache"), noFetch, Duration.ofSeconds(30));
  }

  private List<String> discover(boolean noFetch, String host) {
    return access(noFetch).discovery(CacheIndex.loadFrom(tmp.resolve("cache")))
        .services(upstream(host), "master", ImagesConfig.defaults());
  }

  @Test
  void services_onlineThenOfflineWithTheRegistryGone_sameServicesFromTheRecordedCatalog() throws Exception {
    String host;
    try (InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("r")))) {
      host = registry.hostPort();
      RegistryClient client = RegistryClient.create(vertx, host, ClientOptions.defaults());
      for (String repo : List.of("tripleomaster/centos-binary-nova-api", "tripleomaster/centos-binary-keystone",
          "tripleomaster/other-thing", "elsewhere/centos-binary-glance-api")) {
        push(client, repo);
      }
      assertThat(discover(false, host)).containsExactly("keystone", "nova-api");
    }

    assertThat(discover(true, host)).containsExactly("keystone", "nova-api");
    assertThat(CacheIndex.loadFrom(tmp.resolve("cache")).catalog(host)).isPresent();
  }

  @Test
  void services_offlineWithNothingRecorded_isACacheMissNamingTheCatalog() {
    assertThatThrownBy(() -> discover(true, "registry.example:5000"))
        .isInstanceOfSatisfying(CacheMissException.class, e -> {
          assertThat(e.getMessage()).contains("the image catalog of registry.example:5000");
          assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_CACHED);
        });
  }

  @Test
  void services_onlineWithTheRegistryDown_failsNamingTheWayOut() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + closed;

    assertThatThrownBy(() -> discover(false, host))
        .isInstanceOfSatisfying(MappingException.class, e -> {
          assertThat(e.getMessage()).contains(host).contains("images.names").doesNotEndWith("null");
          assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
        });
  }

  private void push(RegistryClient client, String repo) throws Exception {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    Descriptor blob = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
    Path file = Files.write(Files.createTempFile(tmp, "config", ".json"), config);
    client.pushBlob(repo, blob, file, null).toCompletionStage().toCompletableFuture().get();
    client.putManifest(repo, TAG, Manifest.of(blob, List.of()).toRaw())
        .toCompletionStage().toCompletableFuture().get();
  }
}
