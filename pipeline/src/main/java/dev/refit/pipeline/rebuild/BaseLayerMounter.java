package dev.refit.pipeline.rebuild;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes a base image's layers present in the target repository before jib runs, by
 * cross-repository mount (distribution-spec "Mounting a blob from another repository"). Blocking;
 * thread-safe (stateless).
 *
 * <p>Why: jib-core 0.27 downloads every base layer that its HEAD check does not find in the target
 * repository, to push it (possibly by mount) afterwards. Mounting first makes jib's check succeed,
 * so no base layer is ever downloaded or uploaded; only the delta layer and config travel.
 */
final class BaseLayerMounter {

  private BaseLayerMounter() {}

  /**
   * Mounts each layer of {@code base} (an image manifest in {@code client}'s registry) into
   * {@code targetRepo} unless it is there already. Returns how many layers were mounted. Does
   * nothing for an index or a base in another registry (jib then handles the layers itself).
   */
  static int mount(RegistryClient client, ImageRef base, String targetRepo, Duration timeout) {
    if (!client.registry().equals(base.registry()) || base.repository().equals(targetRepo)) {
      return 0;
    }
    String what = "mounting the layers of " + base + " into " + targetRepo;
    RawManifest raw =
        Blocking.await(
            () -> client.getManifest(base.repository(), base.digest().toString()), timeout, what);
    ManifestContent content = ManifestContent.parse(raw.bytes(), raw.mediaType());
    if (!(content instanceof Manifest manifest)) {
      return 0;
    }
    int mounted = 0;
    for (Descriptor layer : manifest.layers()) {
      Optional<Long> present =
          Blocking.await(() -> client.headBlob(targetRepo, layer.digest()), timeout, what);
      if (present.isEmpty()
          && Blocking.await(
              () -> client.mountBlob(targetRepo, layer.digest(), base.repository()), timeout, what)) {
        mounted++;
      }
    }
    return mounted;
  }
}
