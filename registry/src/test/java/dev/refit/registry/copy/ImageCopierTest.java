package dev.refit.registry.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ImageCopierTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64");

  @TempDir Path tmp;

  private FsStore store(String name) {
    return FsStore.open(tmp.resolve(name), StoreOptions.defaults());
  }

  /** The real embedded registry on port 0; started from the test thread, never an event loop. */
  private Future<RegistryClient> registry(Vertx vertx) {
    InProcessRegistry registry = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("registry")));
    return Future.succeededFuture(RegistryClient.create(vertx, registry.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("no-docker-config"))));
  }

  @Test
  void copy_storeToRegistryToStore_keepsDigestsAndBytes(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    FsStore back = store("back");
    TestImages images = new TestImages(origin, "src/app", 1);
    RawManifest image = images.image(AMD64,
        List.of(images.layer(300_000), images.layer(70_000), images.layer(1)), "v1");
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    RegistryClient[] client = new RegistryClient[1];
    CopyResult[] up = new CopyResult[1];
    registry(vertx)
        .compose(c -> {
          client[0] = c;
          return copier.copy(new StoreSource(vertx, origin, "src/app"), "v1", new RegistrySink(c, "mirror/app"), "v1");
        })
        .compose(r -> {
          up[0] = r;
          return copier.copy(new RegistrySource(client[0], "mirror/app"), "v1", new StoreSink(vertx, back, "back/app"), "v1");
        })
        .onComplete(ctx.succeeding(down -> ctx.verify(() -> {
          assertThat(up[0].digest()).isEqualTo(image.digest());
          assertThat(up[0].blobsCopied()).isEqualTo(4);
          assertThat(up[0].bytesCopied()).isEqualTo(300_000 + 70_000 + 1 + configSize(origin, image));
          assertThat(down.digest()).isEqualTo(image.digest());
          assertThat(down.blobsCopied()).isEqualTo(4);
          RawManifest copied = back.get("back/app", "v1").orElseThrow();
          assertThat(copied.bytes()).isEqualTo(image.bytes());
          for (Descriptor d : Manifest.parse(image.bytes()).references()) {
            BlobInfo a = origin.stat(d.digest()).orElseThrow();
            BlobInfo b = back.stat(d.digest()).orElseThrow();
            assertThat(Files.readAllBytes(b.path())).isEqualTo(Files.readAllBytes(a.path()));
            assertThat(back.isLinked("back/app", d.digest())).isTrue();
          }
          ctx.completeNow();
        })));
  }

  @Test
  void copy_multiArchIndex_copiesChildrenFirstAndEachBlobOnce(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    TestImages images = new TestImages(origin, "src/multi", 2);
    Descriptor shared = images.layer(200_000);
    RawManifest amd = images.image(AMD64, List.of(shared, images.layer(50_000)), null);
    RawManifest arm = images.image(ARM64, List.of(shared, images.layer(60_000)), null);
    RawManifest index = images.index(List.of(amd, arm), List.of(AMD64, ARM64), "latest");
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults().withParallelBlobs(2));
    RegistryClient[] client = new RegistryClient[1];
    CountingSink[] first = new CountingSink[1];
    CopyResult[] result = new CopyResult[1];
    registry(vertx)
        .compose(c -> {
          client[0] = c;
          first[0] = new CountingSink(new RegistrySink(c, "mirror/multi"));
          return copier.copy(new StoreSource(vertx, origin, "src/multi"), "latest", first[0], "latest");
        })
        .compose(r -> {
          result[0] = r;
          return copier.copy(new StoreSource(vertx, origin, "src/multi"), "latest",
              new RegistrySink(client[0], "mirror/multi"), "latest");
        })
        .compose(again -> client[0].getManifest("mirror/multi", "latest")
            .compose(top -> client[0].headManifest("mirror/multi", arm.digest().toString())
                .map(child -> List.of(again, top, child))))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          CopyResult r = result[0];
          assertThat(r.digest()).isEqualTo(index.digest());
          assertThat(r.manifests()).isEqualTo(3);
          assertThat(r.blobsCopied()).as("shared + 2 own layers + 2 configs").isEqualTo(5);
          assertThat(first[0].puts).hasSize(5);
          assertThat(first[0].puts.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
          assertThat(first[0].maxInFlight.get()).isLessThanOrEqualTo(2);
          assertThat(first[0].manifestOrder).hasSize(3).last().isEqualTo(index.digest().toString());
          CopyResult again = (CopyResult) out.get(0);
          assertThat(again.blobsCopied()).isZero();
          assertThat(again.blobsSkipped()).isEqualTo(5);
          assertThat(((RawManifest) out.get(1)).bytes()).isEqualTo(index.bytes());
          assertThat(((java.util.Optional<?>) out.get(2))).isPresent();
          ctx.completeNow();
        })));
  }

  @Test
  void copy_registryToOtherRegistry_streamsEveryBlobIntoUploads(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    TestImages images = new TestImages(origin, "src/app", 6);
    RawManifest image = images.image(AMD64, List.of(images.layer(400_000), images.layer(150_000),
        images.layer(90_000), images.layer(10), images.layer(77_777)), "v1");
    InProcessRegistry second = InProcessRegistry.start(vertx, RegistryConfig.defaults(tmp.resolve("second")));
    RegistryClient target = RegistryClient.create(vertx, second.hostPort(),
        ClientOptions.defaults().withDockerConfigDir(tmp.resolve("none")));
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults().withParallelBlobs(4));
    registry(vertx)
        .compose(c -> copier.copy(new StoreSource(vertx, origin, "src/app"), "v1", new RegistrySink(c, "a/app"), "v1")
            .compose(r -> copier.copy(new RegistrySource(c, "a/app"), "v1", new RegistrySink(target, "b/app"), "v1")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(image.digest());
          assertThat(r.blobsCopied()).isEqualTo(6);
          assertThat(r.blobsMounted()).as("different registries cannot mount").isZero();
          for (Descriptor d : Manifest.parse(image.bytes()).references()) {
            BlobInfo copied = second.store().stat(d.digest()).orElseThrow();
            assertThat(Files.readAllBytes(copied.path()))
                .isEqualTo(Files.readAllBytes(origin.stat(d.digest()).orElseThrow().path()));
          }
          assertThat(second.store().get("b/app", "v1").orElseThrow().bytes()).isEqualTo(image.bytes());
          ctx.completeNow();
        })));
  }

  @Test
  void copy_withinOneRegistry_mountsInsteadOfUploading(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    TestImages images = new TestImages(origin, "src/app", 3);
    RawManifest image = images.image(AMD64, List.of(images.layer(100_000), images.layer(20_000)), "v1");
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    RegistryClient[] client = new RegistryClient[1];
    registry(vertx)
        .compose(c -> {
          client[0] = c;
          return copier.copy(new StoreSource(vertx, origin, "src/app"), "v1", new RegistrySink(c, "team/a"), "v1");
        })
        .compose(r -> copier.copy(new RegistrySource(client[0], "team/a"), "v1", new RegistrySink(client[0], "team/b"), "v2"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(image.digest());
          assertThat(r.blobsMounted()).isEqualTo(3);
          assertThat(r.blobsCopied()).isZero();
          assertThat(r.bytesCopied()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void copy_twoImagesAtOnceSharingLayers_readEachSharedBlobOnceAndMountIt(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    TestImages images = new TestImages(origin, "src/app", 9);
    Descriptor base = images.layer(300_000);
    Descriptor mid = images.layer(120_000);
    RawManifest one = images.image(AMD64, List.of(base, mid, images.layer(5_000)), "one");
    RawManifest two = images.image(AMD64, List.of(base, mid, images.layer(6_000)), "two");
    java.util.Map<dev.refit.registry.oci.Digest, java.util.concurrent.atomic.AtomicInteger> reads =
        new java.util.concurrent.ConcurrentHashMap<>();
    StoreSource store = new StoreSource(vertx, origin, "src/app");
    ImageSource counting = new ImageSource() {
      @Override
      public Future<RawManifest> manifest(String reference) {
        return store.manifest(reference);
      }

      @Override
      public Future<BlobPayload> blob(Descriptor blob) {
        reads.computeIfAbsent(blob.digest(), d -> new java.util.concurrent.atomic.AtomicInteger())
            .incrementAndGet();
        return store.blob(blob);
      }
    };
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    registry(vertx)
        .compose(c -> Future.all(
            copier.copy(counting, "one", new RegistrySink(c, "team/one"), "v1"),
            copier.copy(counting, "two", new RegistrySink(c, "team/two"), "v1")))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          CopyResult a = done.resultAt(0);
          CopyResult b = done.resultAt(1);
          assertThat(a.digest()).isEqualTo(one.digest());
          assertThat(b.digest()).isEqualTo(two.digest());
          assertThat(reads.get(base.digest())).as("the shared base layer is read once").hasValue(1);
          assertThat(reads.get(mid.digest())).as("the shared middle layer is read once").hasValue(1);
          assertThat(a.blobsMounted() + b.blobsMounted()).as("the other copy mounts both").isEqualTo(2);
          assertThat(a.bytesCopied() + b.bytesCopied())
              .isEqualTo(300_000 + 120_000 + 5_000 + 6_000 + configSize(origin, one) + configSize(origin, two));
          ctx.completeNow();
        })));
  }

  @Test
  void copy_runWideBlobLimit_boundsTransfersAcrossCopies(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    TestImages images = new TestImages(origin, "src/app", 12);
    images.image(AMD64, List.of(images.layer(200_000), images.layer(150_000), images.layer(90_000)), "one");
    images.image(AMD64, List.of(images.layer(210_000), images.layer(160_000), images.layer(80_000)), "two");
    images.image(AMD64, List.of(images.layer(220_000), images.layer(170_000), images.layer(70_000)), "three");
    CountingSink sink = new CountingSink(new StoreSink(vertx, store("dest"), "dst/app"));
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults().withParallelBlobs(2)).withRunWideBlobLimit();
    StoreSource source = new StoreSource(vertx, origin, "src/app");
    Future.all(copier.copy(source, "one", sink, "one"), copier.copy(source, "two", sink, "two"),
            copier.copy(source, "three", sink, "three"))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(sink.puts).hasSize(12); // 9 layers and 3 configs
          assertThat(sink.maxInFlight.get()).as("blob transfers at once across the three copies")
              .isBetween(1, 2);
          ctx.completeNow();
        })));
  }

  @Test
  void copy_platformOption_copiesOnlyTheMatchingImage(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    FsStore target = store("target");
    TestImages images = new TestImages(origin, "src/multi", 4);
    RawManifest amd = images.image(AMD64, List.of(images.layer(10_000)), null);
    RawManifest arm = images.image(ARM64, List.of(images.layer(11_000)), null);
    images.index(List.of(amd, arm), List.of(AMD64, ARM64), "latest");
    ImageCopier.of(CopyOptions.defaults().withPlatform(ARM64))
        .copy(new StoreSource(vertx, origin, "src/multi"), "latest", new StoreSink(vertx, target, "arm/only"), "latest")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(arm.digest());
          assertThat(r.manifests()).isEqualTo(1);
          assertThat(target.get("arm/only", "latest").orElseThrow().bytes()).isEqualTo(arm.bytes());
          assertThat(target.get("arm/only", amd.digest().toString())).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void copy_platformSubset_writesNarrowedIndexRecordingSourceAndDropped(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    FsStore target = store("target");
    TestImages images = new TestImages(origin, "src/multi", 4);
    Platform ppc = Platform.of("linux", "ppc64le");
    RawManifest amd = images.image(AMD64, List.of(images.layer(10_000)), null);
    RawManifest arm = images.image(ARM64, List.of(images.layer(11_000)), null);
    RawManifest power = images.image(ppc, List.of(images.layer(12_000)), null);
    RawManifest index = images.index(List.of(amd, arm, power), List.of(AMD64, ARM64, ppc), "latest");
    ImageCopier.of(CopyOptions.defaults().withPlatforms(Set.of(AMD64, ARM64)))
        .copy(new StoreSource(vertx, origin, "src/multi"), "latest", new StoreSink(vertx, target, "two/arch"), "latest")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          RawManifest written = target.get("two/arch", "latest").orElseThrow();
          assertThat(r.digest()).isEqualTo(written.digest()).isNotEqualTo(index.digest());
          Index narrowed = Index.parse(written.bytes());
          assertThat(narrowed.manifests()).extracting(Descriptor::digest).containsExactly(amd.digest(), arm.digest());
          assertThat(narrowed.annotations()).containsEntry(PlatformSubset.SOURCE_INDEX, index.digest().toString())
              .containsEntry(PlatformSubset.DROPPED_PLATFORMS, "linux/ppc64le");
          assertThat(target.get("two/arch", power.digest().toString())).isEmpty();
          assertThat(target.get("two/arch", arm.digest().toString())).isPresent();
        })))
        .compose(r -> ImageCopier.of(CopyOptions.defaults().withPlatforms(Set.of(AMD64, ARM64, ppc)))
            .copy(new StoreSource(vertx, origin, "src/multi"), "latest", new StoreSink(vertx, target, "all/arch"), "latest"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.digest()).as("every entry kept: the index is copied as is").isEqualTo(index.digest());
          ctx.completeNow();
        })));
  }

  @Test
  void copy_foreignLayer_isNotTransferred(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    FsStore target = store("target");
    TestImages images = new TestImages(origin, "win/app", 8);
    Descriptor foreign = Descriptor.of(dev.refit.registry.oci.MediaType.DOCKER_FOREIGN_LAYER_GZIP,
        dev.refit.registry.oci.Digest.sha256("windows base layer, fetched from its urls".getBytes()), 1_000_000);
    RawManifest image = images.image(Platform.of("windows", "amd64"), List.of(foreign, images.layer(4_000)), "v1");
    ImageCopier.of(CopyOptions.defaults())
        .copy(new StoreSource(vertx, origin, "win/app"), "v1", new StoreSink(vertx, target, "win/app"), "v1")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.digest()).isEqualTo(image.digest());
          assertThat(r.blobsCopied()).as("config and the distributable layer").isEqualTo(2);
          assertThat(target.stat(foreign.digest())).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void copy_missingSourceBlob_failsNamingTheBlobAndWritesNoManifest(Vertx vertx, VertxTestContext ctx) {
    FsStore origin = store("origin");
    FsStore target = store("target");
    TestImages images = new TestImages(origin, "src/app", 5);
    Descriptor gone = images.layer(5_000);
    RawManifest image = images.image(AMD64, List.of(gone), "v1");
    origin.unlink("src/app", gone.digest());
    ImageCopier.of(CopyOptions.defaults())
        .copy(new StoreSource(vertx, origin, "src/app"), "v1", new StoreSink(vertx, target, "dst"), "v1")
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(ImageCopyException.class)
              .hasMessageContaining(gone.digest().toString()).hasMessageContaining("v1");
          assertThat(target.get("dst", "v1")).isEmpty();
          assertThat(target.get("dst", image.digest().toString())).isEmpty();
          ctx.completeNow();
        })));
  }

  private static long configSize(FsStore store, RawManifest image) {
    return Manifest.parse(image.bytes()).config().size();
  }
}
