package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The client's API end to end against the embedded registry. */
@ExtendWith(VertxExtension.class)
class RegistryClientEmbeddedTest {
  @TempDir Path tmp;
  private RegistryClient client;

  @BeforeEach
  void start(Vertx vertx) {
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    client = RegistryClient.create(vertx, registry.hostPort(), ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
  }

  private Descriptor writeBlob(Path file, byte[] bytes, String mediaType) throws Exception {
    Files.write(file, bytes);
    return Descriptor.of(mediaType, Digest.sha256(bytes), bytes.length);
  }

  @Test
  void pushPullTagAndList_roundTrip(Vertx vertx, VertxTestContext ctx) throws Exception {
    byte[] layerBytes = new byte[123_456];
    new Random(5).nextBytes(layerBytes);
    Descriptor layer = writeBlob(tmp.resolve("layer"), layerBytes, MediaType.OCI_LAYER);
    Descriptor config = writeBlob(tmp.resolve("config"), "{\"os\":\"linux\",\"architecture\":\"amd64\"}"
        .getBytes(StandardCharsets.UTF_8), MediaType.OCI_CONFIG);
    RawManifest manifest = Manifest.of(config, List.of(layer)).toRaw();
    Path pulledFile = tmp.resolve("pulled");
    Path streamed = tmp.resolve("streamed");
    client.ping()
        .compose(v -> client.headBlob("lab/x", layer.digest()))
        .compose(before -> {
          assertThat(before).isEmpty();
          return client.pushBlob("lab/x", layer, tmp.resolve("layer"), null);
        })
        .compose(outcome -> {
          assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
          return client.pushBlob("lab/x", config, tmp.resolve("config"), null);
        })
        .compose(v -> client.pushBlob("lab/x", layer, tmp.resolve("layer"), null))
        .compose(again -> {
          assertThat(again).isEqualTo(PushOutcome.EXISTED);
          return client.headManifest("lab/x", "v1");
        })
        .compose(missing -> {
          assertThat(missing).isEmpty();
          return client.putManifest("lab/x", "v1", manifest);
        })
        .compose(digest -> client.getManifest("lab/x", "v1"))
        .compose(got -> {
          assertThat(got.bytes()).isEqualTo(manifest.bytes());
          assertThat(got.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
          return client.headManifest("lab/x", "v1");
        })
        .compose(head -> {
          assertThat(head).map(Descriptor::digest).contains(manifest.digest());
          return client.pullBlob("lab/x", layer.digest(), pulledFile);
        })
        .compose(size -> vertx.fileSystem().open(streamed.toString(), new OpenOptions().setWrite(true).setCreate(true))
            .compose(file -> client.pullBlob("lab/x", layer.digest(), file)))
        .compose(size -> client.putManifest("lab/x", "v2", manifest))
        .compose(d -> client.tags("lab/x").compose(tags -> client.catalog().map(repos -> List.of(tags, repos))))
        .onComplete(ctx.succeeding(lists -> ctx.verify(() -> {
          assertThat(Files.readAllBytes(pulledFile)).isEqualTo(layerBytes);
          assertThat(Files.readAllBytes(streamed)).isEqualTo(layerBytes);
          assertThat(lists.get(0)).containsExactly("v1", "v2");
          assertThat(lists.get(1)).contains("lab/x");
          ctx.completeNow();
        })));
  }

  @Test
  void getManifest_unknownTag_failsWithManifestUnknown(Vertx vertx, VertxTestContext ctx) {
    client.getManifest("lab/none", "nope").onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(RegistryResponseException.class).hasMessageContaining("HTTP 404")
          .hasMessageContaining("after 1 attempt");
      assertThat(((RegistryResponseException) e).errorCode()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
      ctx.completeNow();
    })));
  }

  @Test
  void putManifest_missingBlobs_rejectedByRegistry(Vertx vertx, VertxTestContext ctx) {
    Descriptor ghost = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256("ghost".getBytes()), 5);
    RawManifest manifest = Manifest.of(ghost, List.of()).toRaw();
    Future<Optional<Descriptor>> after = client.putManifest("lab/y", "v1", manifest)
        .transform(ar -> {
          ctx.verify(() -> assertThat(ar.failed()).isTrue());
          return client.headManifest("lab/y", "v1");
        });
    after.onComplete(ctx.succeeding(head -> ctx.verify(() -> {
      assertThat(head).isEmpty();
      ctx.completeNow();
    })));
  }
}
