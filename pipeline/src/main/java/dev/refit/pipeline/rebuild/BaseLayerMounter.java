package dev.refit.pipeline.rebuild;

import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a base image's layers present in the target repository without moving their bytes, by
 * cross-repository mount (distribution-spec "Mounting a blob from another repository"). Blocking;
 * thread-safe (stateless).
 *
 * <p>Why: a manifest may only be put where its blobs are. The daemonless builder
 * ({@link ImageAppend}) mounts the base layers and pushes only its own. For the jib builder it
 * matters twice: jib-core 0.27 downloads every base layer that its HEAD check does not find in the
 * target repository, to push it afterwards; mounting first makes jib's check succeed, so no base
 * layer is ever downloaded or uploaded.
 */
final class BaseLayerMounter {

  private BaseLayerMounter() {}

  /**
   * Mounts each layer of {@code base} (an image manifest in {@code baseRepo} of {@code client}'s
   * registry), and its config when {@code withConfig}, into {@code targetRepo} unless present.
   * Returns how many blobs were mounted; a refused mount leaves the blob missing (the manifest PUT
   * then names it), or to jib, which pushes it itself.
   */
  static int mount(RegistryClient client, String baseRepo, Manifest base, String targetRepo,
      boolean withConfig, Duration timeout) {
    if (baseRepo.equals(targetRepo)) {
      return 0;
    }
    String what = "mounting the blobs of " + baseRepo + " into " + targetRepo;
    List<Descriptor> blobs = new ArrayList<>(base.layers());
    if (withConfig) {
      blobs.add(base.config());
    }
    int mounted = 0;
    for (Descriptor blob : blobs) {
      Optional<Long> present =
          Await.result(client.headBlob(targetRepo, blob.digest()), timeout, what);
      if (present.isEmpty()
          && Await.result(client.mountBlob(targetRepo, blob.digest(), baseRepo), timeout, what)) {
        mounted++;
      }
    }
    return mounted;
  }
}
