package dev.refit.pipeline.rebuild;

import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import java.time.Duration;
import java.util.Optional;

/**
 * What a tag in the local registry already holds, as far as a re-run cares: the manifest digest
 * and the build key in its config labels. Immutable and thread-safe; {@link #lookup} is blocking.
 *
 * @param digest manifest digest under the tag
 * @param buildKey value of the {@link Provenance#BUILD_KEY} config label, or null
 */
public record PublishedImage(Digest digest, String buildKey) {

  /** Configs are small JSON documents; anything bigger is not one refit wrote. */
  static final long MAX_CONFIG_BYTES = 4L << 20;

  /**
   * The image under {@code repo:tag}, or empty when the tag does not exist. The key of an index
   * comes from its annotations, that of an image manifest from its config labels. Blocking.
   */
  public static Optional<PublishedImage> lookup(
      RegistryClient client, String repo, String tag, Duration timeout) {
    String what = "reading " + repo + ":" + tag + " in " + client.registry();
    Optional<Descriptor> head = Await.result(client.headManifest(repo, tag), timeout, what);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    RawManifest raw = Await.result(client.getManifest(repo, tag), timeout, what);
    ManifestContent content = ManifestContent.parse(raw.bytes(), raw.mediaType());
    if (content instanceof Index index) {
      // A multi-arch result carries its provenance in the index annotations.
      return Optional.of(new PublishedImage(raw.digest(), index.annotations().get(Provenance.BUILD_KEY)));
    }
    Manifest manifest = (Manifest) content;
    byte[] config =
        Await.result(client.readBlob(repo, manifest.config().digest(), MAX_CONFIG_BYTES),
                timeout,
                what + " (config)")
            .getBytes();
    String key = ImageConfig.parse(config).config().labels().get(Provenance.BUILD_KEY);
    return Optional.of(new PublishedImage(raw.digest(), key));
  }
}
