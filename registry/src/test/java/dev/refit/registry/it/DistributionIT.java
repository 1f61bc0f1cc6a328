package dev.refit.registry.it;

import static dev.refit.registry.it.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * refit interoperates with the CNCF distribution registry (the reference implementation) in both
 * directions: a multi-platform index pushed by refit's client into distribution, copied into
 * refit's embedded registry and back into distribution under a new repository, keeps the index
 * digest and every child manifest and blob digest.
 */
class DistributionIT {
  @TempDir Path tmp;
  private ToolBox tools;
  private DistributionContainer distribution;
  private InProcessRegistry embedded;

  @BeforeEach
  void setUp() {
    tools = ToolBox.in(tmp.resolve("tools"));
    tools.requireImage(ToolBox.DISTRIBUTION_IMAGE);
    distribution = new DistributionContainer();
    distribution.start();
    embedded = InProcessRegistry.start(tmp.resolve("root"));
  }

  @AfterEach
  void tearDown() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } finally {
      if (distribution != null) {
        distribution.stop();
      }
    }
  }

  @Test
  void clientPush_multiArchIndexIntoDistribution_servedWithSameDigests() {
    MultiArchLayout.Written image = MultiArchLayout.write(tmp.resolve("layout"), "multi", new Random(11), 64 * 1024);

    pushWithRefitClient(image, distribution.hostPort(), "refit/multi", "1");

    assertSameImage(RegistryProbe.of(distribution.hostPort()), "refit/multi", "1", image);
  }

  @Test
  void imageCopier_distributionToEmbeddedAndBackUnderNewRepo_everyDigestPreserved() {
    MultiArchLayout.Written image = MultiArchLayout.write(tmp.resolve("layout"), "multi", new Random(13), 256 * 1024);
    pushWithRefitClient(image, distribution.hostPort(), "refit/multi", "1");
    RegistryClient fromDistribution = client(distribution.hostPort());
    RegistryClient toEmbedded = client(embedded.hostPort());
    ImageCopier copier = ImageCopier.of(CopyOptions.defaults());
    try {
      CopyResult in = result(copier.copy(new RegistrySource(fromDistribution, "refit/multi"), "1",
          new RegistrySink(toEmbedded, "mirror/multi"), "1"), "copy distribution -> embedded");
      CopyResult out = result(copier.copy(new RegistrySource(toEmbedded, "mirror/multi"), "1",
          new RegistrySink(fromDistribution, "refit/roundtrip"), "2"), "copy embedded -> distribution");

      assertThat(in.digest()).isEqualTo(image.index().digest());
      assertThat(out.digest()).isEqualTo(image.index().digest());
      assertThat(in.manifests()).isEqualTo(3); // the index and its two platform manifests
      assertThat(in.blobsCopied()).isEqualTo(image.blobs().size());
      assertThat(in.bytesCopied()).isEqualTo(image.blobs().stream().mapToLong(Descriptor::size).sum());
    } finally {
      result(fromDistribution.close(), "close client");
      result(toEmbedded.close(), "close client");
    }

    assertSameImage(RegistryProbe.of(embedded.hostPort()), "mirror/multi", "1", image);
    assertSameImage(RegistryProbe.of(distribution.hostPort()), "refit/roundtrip", "2", image);
  }

  @Test
  void skopeoAll_distributionToEmbeddedAndBack_digestsPreserved() {
    MultiArchLayout.Written image = MultiArchLayout.write(tmp.resolve("layout"), "multi", new Random(12), 64 * 1024);
    pushWithRefitClient(image, distribution.hostPort(), "refit/multi", "1");

    skopeoCopyAll(distribution.hostPort() + "/refit/multi:1", embedded.hostPort() + "/refit/multi:1");
    skopeoCopyAll(embedded.hostPort() + "/refit/multi:1", distribution.hostPort() + "/refit/back:2");

    assertSameImage(RegistryProbe.of(embedded.hostPort()), "refit/multi", "1", image);
    assertSameImage(RegistryProbe.of(distribution.hostPort()), "refit/back", "2", image);
  }

  private void pushWithRefitClient(MultiArchLayout.Written image, String registry, String repo, String tag) {
    RegistryClient client = client(registry);
    try {
      for (MultiArchLayout.Child child : image.children()) {
        for (Descriptor blob : child.blobs()) {
          result(client.pushBlob(repo, blob, MultiArchLayout.blobPath(image.dir(), blob.digest()), null),
              "push blob " + blob.digest());
        }
        RawManifest manifest = RawManifest.of(
            MultiArchLayout.readBlob(image.dir(), child.manifest().digest()), child.manifest().mediaType());
        Digest put = result(client.putManifest(repo, child.manifest().digest().toString(), manifest),
            "put manifest " + child.platform());
        assertThat(put).isEqualTo(child.manifest().digest());
      }
      RawManifest index = RawManifest.of(MultiArchLayout.readBlob(image.dir(), image.index().digest()),
          image.index().mediaType());
      assertThat(result(client.putManifest(repo, tag, index), "put index")).isEqualTo(image.index().digest());
    } finally {
      result(client.close(), "close client");
    }
  }

  /** A refit client for a loopback registry (plain HTTP), ignoring the machine's docker config. */
  private RegistryClient client(String registry) {
    return RegistryClient.create(embedded.vertx(), registry, ClientOptions.defaults().withDockerConfigDir(null));
  }

  private void skopeoCopyAll(String from, String to) {
    tools.skopeo("copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + from, "docker://" + to).requireSuccess();
  }

  /** The tag resolves to the index digest, and every child manifest and blob is served intact. */
  static void assertSameImage(RegistryProbe registry, String repo, String tag, MultiArchLayout.Written image) {
    assertThat(registry.headManifest(repo, tag)).as("index digest of %s:%s", repo, tag)
        .isEqualTo(image.index().digest());
    RegistryProbe.Served index = registry.getManifest(repo, tag);
    assertThat(index.computedDigest()).isEqualTo(image.index().digest());
    assertThat(index.contentType()).isEqualTo(image.index().mediaType());
    for (MultiArchLayout.Child child : image.children()) {
      Digest manifest = child.manifest().digest();
      RegistryProbe.Served served = registry.getManifest(repo, manifest.toString());
      assertThat(served.computedDigest()).as("child %s", child.platform()).isEqualTo(manifest);
      for (Descriptor blob : child.blobs()) {
        assertThat(registry.blobDigest(repo, blob.digest())).as("blob %s", blob.digest()).isEqualTo(blob.digest());
      }
    }
  }
}
