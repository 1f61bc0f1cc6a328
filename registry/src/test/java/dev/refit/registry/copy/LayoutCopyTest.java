package dev.refit.registry.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.ImageAssertions;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.registry.testkit.RandomImage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class LayoutCopyTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64");

  @TempDir Path tmp;

  @Test
  void copy_layoutToRegistryToLayout_multiArchIndexWithIdenticalDigests(Vertx vertx, VertxTestContext ctx) throws Exception {
    OciLayout in = OciLayout.create(tmp.resolve("in"));
    OciLayout out = OciLayout.create(tmp.resolve("out"));
    TestImages images = new TestImages(in, 7);
    Descriptor shared = images.layer(250_000);
    RawManifest amd = images.image(AMD64, List.of(shared, images.layer(40_000)), null);
    RawManifest arm = images.image(ARM64, List.of(shared, images.layer(30_000)), null);
    RawManifest index = images.index(List.of(amd, arm), List.of(AMD64, ARM64), "v1");
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    RegistryClient client = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")).withChunkSize(64 * 1024));
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    CopyResult[] up = new CopyResult[1];
    copier.copy(new LayoutSource(vertx, in), "v1", new RegistrySink(client, "lab/app"), "v1")
        .compose(r -> {
          up[0] = r;
          return copier.copy(new RegistrySource(client, "lab/app"), "v1", new LayoutSink(vertx, out), "copied");
        })
        .onComplete(ctx.succeeding(down -> ctx.verify(() -> {
          assertThat(up[0].digest()).isEqualTo(index.digest());
          assertThat(up[0].blobsCopied()).isEqualTo(5);
          assertThat(down.digest()).isEqualTo(index.digest());
          assertThat(down.manifests()).isEqualTo(3);
          Descriptor named = out.resolve("copied");
          assertThat(named.digest()).isEqualTo(index.digest());
          assertThat(out.readManifest(named).bytes()).isEqualTo(index.bytes());
          for (Descriptor child : Index.parse(index.bytes()).manifests()) {
            RawManifest copied = out.readManifest(child);
            for (Descriptor blob : Manifest.parse(copied.bytes()).references()) {
              assertThat(Files.readAllBytes(out.blobPath(blob.digest())))
                  .isEqualTo(Files.readAllBytes(in.blobPath(blob.digest())));
            }
          }
          assertThat(blobFiles(out)).as("no temporary files left").allMatch(p -> Digest.isValid("sha256:" + p.getFileName()));
          ctx.completeNow();
        })));
  }

  @Test
  void copy_randomImageRoundTrip_outputLayoutIsValid(Vertx vertx, VertxTestContext ctx) {
    OciLayout in = OciLayout.create(tmp.resolve("in"));
    OciLayout out = OciLayout.create(tmp.resolve("out"));
    RandomImage.Image image = RandomImage.intoLayout(in, "latest", 120_000, 3_000, 0);
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    RegistryClient client = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    copier.copy(new LayoutSource(vertx, in), "latest", new RegistrySink(client, "rand/img"), "latest")
        .compose(r -> copier.copy(new RegistrySource(client, "rand/img"), "latest", new LayoutSink(vertx, out), "latest"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(image.manifest().digest());
          assertThat(out.resolve("latest").digest()).isEqualTo(image.manifest().digest());
          ImageAssertions.assertValid(out);
          ctx.completeNow();
        })));
  }

  @Test
  void copy_intoLayoutWithoutName_listsOnlyTheTopLevelIndexUnnamed(Vertx vertx, VertxTestContext ctx) {
    OciLayout in = OciLayout.create(tmp.resolve("in"));
    OciLayout out = OciLayout.create(tmp.resolve("out"));
    TestImages images = new TestImages(in, 21);
    RawManifest amd = images.image(AMD64, List.of(images.layer(3000)), null);
    RawManifest arm = images.image(ARM64, List.of(images.layer(3000)), null);
    RawManifest index = images.index(List.of(amd, arm), List.of(AMD64, ARM64), "v1");
    ImageCopier.of(CopyOptions.defaults())
        .copy(new LayoutSource(vertx, in), "v1", new LayoutSink(vertx, out), null)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          List<Descriptor> listed = out.readIndex().manifests();
          assertThat(listed).hasSize(1);
          assertThat(listed.get(0).digest()).isEqualTo(index.digest());
          assertThat(listed.get(0).annotations()).doesNotContainKey(OciLayout.REF_NAME);
          assertThat(out.resolve(null).digest()).isEqualTo(index.digest());
          assertThat(out.hasBlob(amd.digest())).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void layoutSink_streamNotMatchingDigest_rejectedAndNothingVisible(Vertx vertx, VertxTestContext ctx) throws Exception {
    OciLayout out = OciLayout.create(tmp.resolve("out"));
    byte[] bytes = "not the promised content".getBytes();
    Descriptor claimed = Descriptor.of("application/octet-stream", Digest.sha256("promised".getBytes()), bytes.length);
    new LayoutSink(vertx, out).putBlob(claimed, new BlobPayload.FromStream(streamOf(vertx, bytes)))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining(claimed.digest().toString());
          assertThat(out.hasBlob(claimed.digest())).isFalse();
          try (Stream<Path> files = Files.list(out.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("blobs", "index.json", "oci-layout");
          }
          ctx.completeNow();
        })));
  }

  @Test
  void storeSink_streamNotMatchingDigest_rejectedByStoreCommit(Vertx vertx, VertxTestContext ctx) {
    var store = dev.refit.registry.store.fs.FsStore.open(tmp.resolve("store"),
        dev.refit.registry.store.fs.StoreOptions.defaults());
    byte[] bytes = "tampered".getBytes();
    Descriptor claimed = Descriptor.of("application/octet-stream", Digest.sha256("original".getBytes()), bytes.length);
    new StoreSink(vertx, store, "repo").putBlob(claimed, new BlobPayload.FromStream(streamOf(vertx, bytes)))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(store.stat(claimed.digest())).isEmpty();
          assertThat(store.stat(Digest.sha256(bytes))).isEmpty();
          assertThat(store.isLinked("repo", claimed.digest())).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void getManifest_withPlatform_resolvesIndexChild(Vertx vertx, VertxTestContext ctx) {
    OciLayout in = OciLayout.create(tmp.resolve("in"));
    TestImages images = new TestImages(in, 9);
    RawManifest amd = images.image(AMD64, List.of(images.layer(1000)), null);
    RawManifest arm = images.image(ARM64, List.of(images.layer(1000)), null);
    images.index(List.of(amd, arm), List.of(AMD64, ARM64), "multi");
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    RegistryClient client = RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
    ImageCopier.of(CopyOptions.defaults())
        .copy(new LayoutSource(vertx, in), "multi", new RegistrySink(client, "p/app"), "multi")
        .compose(r -> client.getManifest("p/app", "multi", Platform.parse("linux/arm64")))
        .compose(m -> client.getManifest("p/app", "multi", Platform.parse("linux/s390x"))
            .transform(ar -> Future.succeededFuture(List.of(m, ar.cause()))))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(((RawManifest) res.get(0)).digest()).isEqualTo(arm.digest());
          assertThat((Throwable) res.get(1)).hasMessageContaining("linux/s390x").hasMessageContaining("linux/amd64");
          ctx.completeNow();
        })));
  }

  @Test
  void close_twice_succeedsAndPoolStaysUsableForOthers(Vertx vertx, VertxTestContext ctx) {
    OciLayout layout = OciLayout.create(tmp.resolve("l"));
    LayoutSink first = new LayoutSink(vertx, layout);
    LayoutSink second = new LayoutSink(vertx, layout);
    first.close().compose(v -> first.close())
        .compose(v -> second.hasBlob(Descriptor.of(null, Digest.sha256(new byte[0]), 0)))
        .onComplete(ctx.succeeding(has -> ctx.verify(() -> {
          assertThat(has).isFalse();
          ctx.completeNow();
        })));
  }

  private static ReadStream<Buffer> streamOf(Vertx vertx, byte[] bytes) {
    Path file;
    try {
      file = Files.createTempFile("refit-stream", ".bin");
      Files.write(file, bytes);
      file.toFile().deleteOnExit();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return vertx.fileSystem().openBlocking(file.toString(), new io.vertx.core.file.OpenOptions().setRead(true)).pause();
  }

  private static List<Path> blobFiles(OciLayout layout) throws Exception {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(layout.root().resolve("blobs"))) {
      s.filter(Files::isRegularFile).forEach(all::add);
    }
    return all;
  }
}
