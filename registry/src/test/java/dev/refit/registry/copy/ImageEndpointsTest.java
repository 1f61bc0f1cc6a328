package dev.refit.registry.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.ImageAssertions;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.testkit.RandomImage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ImageEndpointsTest {
  @TempDir Path tmp;

  private Future<CopyResult> copy(Vertx vertx, String from, String to, ClientOptions options) {
    ImageRef src = ImageRef.parse(from);
    ImageRef dst = ImageRef.parse(to);
    return ImageEndpoints.source(vertx, src, options).compose(source -> ImageEndpoints.sink(vertx, dst, options)
        .compose(sink -> ImageCopier.copy(source, ImageEndpoints.sourceReference(src), sink,
                ImageEndpoints.targetReference(dst), CopyOptions.defaults())
            .eventually(() -> Future.join(source.close(), sink.close()))));
  }

  @Test
  void copy_ociToDockerToOci_byReferenceStrings(Vertx vertx, VertxTestContext ctx) {
    RandomImage.Image image = RandomImage.intoLayout(OciLayout.create(tmp.resolve("in")), "1.0", 50_000L, 10L);
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("reg")));
    ClientOptions options = ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none"));
    String remote = "docker://" + registry.hostPort() + "/team/app:1.0";
    copy(vertx, "oci:" + tmp.resolve("in") + ":1.0", remote, options)
        .compose(r -> copy(vertx, "docker://" + registry.hostPort() + "/team/app@" + r.digest(),
            "oci:" + tmp.resolve("out") + ":copied", options))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(image.manifest().digest());
          OciLayout out = OciLayout.open(tmp.resolve("out"));
          assertThat(out.resolve("copied").digest()).isEqualTo(image.manifest().digest());
          ImageAssertions.assertValid(out);
          ctx.completeNow();
        })));
  }

  @Test
  void source_dockerArchive_failsWithSupportedTransports(Vertx vertx, VertxTestContext ctx) {
    ImageEndpoints.source(vertx, ImageRef.parse("docker-archive:" + tmp.resolve("x.tar")), ClientOptions.defaults())
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining("docker-archive").hasMessageContaining("oci:");
          ctx.completeNow();
        })));
  }
}
