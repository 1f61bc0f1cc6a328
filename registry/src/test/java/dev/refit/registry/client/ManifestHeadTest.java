package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The validators a manifest HEAD reports, and the conditional HEAD (RFC 9110 section 13.1.2). */
@ExtendWith(VertxExtension.class)
class ManifestHeadTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String ETAG = "\"" + DIGEST + "\"";
  private static final String LAST_MODIFIED = "Tue, 03 Mar 2026 10:15:30 GMT";

  @TempDir Path noConfig;

  @Test
  void headManifest_reportsEtagAndLastModified_thenIfNoneMatchGives304(Vertx vertx, VertxTestContext ctx) {
    ScriptedServer[] server = new ScriptedServer[1];
    ScriptedServer.start(vertx, req -> {
          if (ETAG.equals(req.getHeader("If-None-Match"))) {
            req.response().setStatusCode(304).putHeader("ETag", ETAG).end();
            return;
          }
          req.response().putHeader("Docker-Content-Digest", DIGEST).putHeader("ETag", ETAG)
              .putHeader("Last-Modified", LAST_MODIFIED)
              .putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json; charset=utf-8")
              .putHeader("Content-Length", "321").end();
        })
        .compose(s -> {
          server[0] = s;
          RegistryClient client = RegistryClient.create(vertx, s.registry(),
              ClientOptions.defaults().withDockerConfigDir(noConfig));
          return client.headManifest("app", "v1", null).compose(first ->
              client.headManifest("app", "v1", first.orElseThrow().etag())
                  .map(second -> new Optional<?>[] {first, second}));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          ManifestHead first = (ManifestHead) both[0].orElseThrow();
          assertThat(first.notModified()).isFalse();
          assertThat(first.digest()).isEqualTo(Digest.parse(DIGEST));
          assertThat(first.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
          assertThat(first.size()).isEqualTo(321);
          assertThat(first.etag()).isEqualTo(ETAG);
          assertThat(first.lastModified()).isEqualTo(LAST_MODIFIED);
          ManifestHead second = (ManifestHead) both[1].orElseThrow();
          assertThat(second.notModified()).isTrue();
          assertThat(second.digest()).isNull();
          assertThat(second.etag()).isEqualTo(ETAG);
          assertThat(server[0].seen()).extracting(seen -> seen.header("If-None-Match"))
              .containsExactly(null, ETAG);
          ctx.completeNow();
        })));
  }

  @Test
  void headManifest_embeddedRegistry_etagIsTheQuotedDigest(Vertx vertx, VertxTestContext ctx) {
    InProcessRegistry registry = InProcessRegistry.start();
    RawManifest manifest = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":"
        + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}").getBytes(StandardCharsets.UTF_8),
        "application/vnd.oci.image.index.v1+json");
    RegistryClient client = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(noConfig));
    client.putManifest("lab/x", "v1", manifest)
        .compose(d -> client.headManifest("lab/x", "v1", null))
        .eventually(() -> {
          registry.close();
          return client.close();
        })
        .onComplete(ctx.succeeding(head -> ctx.verify(() -> {
          assertThat(head.orElseThrow().digest()).isEqualTo(manifest.digest());
          assertThat(head.get().etag()).isEqualTo("\"" + manifest.digest() + "\"");
          ctx.completeNow();
        })));
  }
}
