package dev.refit.pipeline.rebuild.docker;

import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import java.time.Duration;
import java.util.Optional;

/**
 * Blocking reads of the local registry that the docker rebuilder needs: the manifest digest under
 * a tag and an image's config. Blocking (waits through {@link Await}), so never call it on an
 * event loop. Thread-safe.
 */
final class LocalImages {

  /** Configs are small JSON documents; a bigger one is not an image config. */
  private static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;

  private final RegistryClient client;
  private final Duration timeout;

  LocalImages(RegistryClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  RegistryClient client() {
    return client;
  }

  /** The registry as image references (and the engine) spell it, e.g. {@code 127.0.0.1:8787}. */
  String registry() {
    return client.registry();
  }

  /** The digest of the manifest {@code repo:reference}, empty when there is none. */
  Optional<Digest> digest(String repo, String reference) {
    return Await.result(client.headManifest(repo, reference), timeout,
        "HEAD manifest " + ref(repo, reference) + " at the local registry " + client.registry())
        .map(Descriptor::digest);
  }

  /**
   * The config of the single-platform image {@code repo@reference}; empty when the reference
   * names an index (a multi-platform result is never skipped by a single-image build key).
   */
  Optional<ImageConfig> config(String repo, String reference) {
    RawManifest raw = Await.result(client.getManifest(repo, reference), timeout,
        "GET manifest " + ref(repo, reference) + " at the local registry " + client.registry());
    if (!(ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Manifest manifest)) {
      return Optional.empty();
    }
    Digest config = manifest.config().digest();
    byte[] json = Await.result(client.readBlob(repo, config, MAX_CONFIG_BYTES), timeout,
        "GET config " + repo + "@" + config + " at the local registry " + client.registry())
        .getBytes();
    return Optional.of(ImageConfig.parse(json));
  }

  private static String ref(String repo, String reference) {
    return repo + (reference.contains(":") ? "@" : ":") + reference;
  }
}
