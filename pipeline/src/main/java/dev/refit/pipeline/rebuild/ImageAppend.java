package dev.refit.pipeline.rebuild;

import dev.refit.error.Causes;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.PushOutcome;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * refit's {@code mutate.Append(base, layers...)} for one registry: makes a base image plus new
 * layers complete in a target repository with one trip per blob, and returns the manifest for the
 * caller to put. Blocking; immutable, thread-safe.
 *
 * <p>Like go-containerregistry's lazy append, the base is never downloaded: its layers are
 * cross-mounted ({@link BaseLayerMounter}) and only its config, a small JSON document, is read.
 * Each new layer and the new config are pushed once; the client HEADs first (distribution-spec
 * "Checking if content exists in the registry"), so a blob already there, e.g. after a crash
 * before the manifest was put, is not uploaded again.
 *
 * @param client the registry holding base and target
 * @param timeout for each registry call
 * @param events receives one line per step (base mounted, blob uploaded or found)
 */
record ImageAppend(RegistryClient client, Duration timeout, Consumer<String> events) {

  /**
   * Pushes to {@code targetRepo} everything {@code base} (an image manifest in {@code baseRepo})
   * plus {@code layers} needs, and returns the OCI manifest: base layers (media types as OCI,
   * {@link BaseLayerTypes#asOci}) then the new ones, the new config, {@code annotations}. The
   * manifest itself is not put.
   *
   * @param labels added to the config labels
   * @param createdBy the history {@code created_by} of each new layer
   * @param workDir receives the config file; the caller removes it
   */
  RawManifest push(String baseRepo, Digest baseDigest, Manifest base, String targetRepo,
      List<NewLayer> layers, Map<String, String> labels, String createdBy,
      Map<String, String> annotations, Path workDir) {
    int mounted = BaseLayerMounter.mount(client, baseRepo, base, targetRepo, false, timeout);
    events.accept("base " + baseRepo + "@" + baseDigest + ": " + mounted + " of "
        + base.layers().size() + " layer(s) mounted into " + targetRepo);
    String what = "reading the config of the base " + baseRepo + "@" + baseDigest;
    byte[] baseConfig = Await.result(
        client.readBlob(baseRepo, base.config().digest(), PublishedImage.MAX_CONFIG_BYTES), timeout, what)
        .getBytes();
    byte[] config = AppendedConfig.of(baseConfig, layers.stream().map(NewLayer::diffId).toList(),
        createdBy, labels);
    List<Descriptor> manifestLayers = new ArrayList<>(BaseLayerTypes.asOci(base.layers()));
    for (NewLayer layer : layers) {
      if (layer.file() == null) {
        events.accept("layer " + layer.descriptor().digest() + ": existed (same content as before)");
      } else {
        pushBlob(targetRepo, layer.descriptor(), layer.file(), "layer");
      }
      manifestLayers.add(layer.descriptor());
    }
    Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
    try {
      Files.createDirectories(workDir);
      Path configFile = Files.write(Files.createTempFile(workDir, "config", ".json"), config);
      pushBlob(targetRepo, configDescriptor, configFile, "config");
    } catch (IOException e) {
      throw new RebuildException("writing the image config for " + targetRepo + " in the work dir failed: "
          + Causes.describe(e) + "; check free space and permissions there", e);
    }
    return Manifest.of(configDescriptor, manifestLayers).withAnnotations(annotations).toRaw();
  }

  private void pushBlob(String repo, Descriptor blob, Path file, String kind) {
    String what = "pushing the " + kind + " " + blob.digest() + " to " + repo;
    PushOutcome outcome = Await.result(client.pushBlob(repo, blob, file, null), timeout, what);
    events.accept(kind + " " + blob.digest() + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT));
  }
}
