package dev.refit.pipeline.rebuild.docker;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking reads of the local registry that the docker rebuilder needs: the manifest digest under
 * a tag and an image's config. Blocking (waits on {@link RegistryClient} futures), so never call it
 * on an event loop. Thread-safe.
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
    return await(client.headManifest(repo, reference), "HEAD manifest " + ref(repo, reference))
        .map(Descriptor::digest);
  }

  /**
   * The config of the single-platform image {@code repo@reference}; empty when the reference
   * names an index (a multi-platform result is never skipped by a single-image build key).
   */
  Optional<ImageConfig> config(String repo, String reference) {
    RawManifest raw = await(client.getManifest(repo, reference), "GET manifest " + ref(repo, reference));
    if (!(ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Manifest manifest)) {
      return Optional.empty();
    }
    Digest config = manifest.config().digest();
    byte[] json = await(client.readBlob(repo, config, MAX_CONFIG_BYTES), "GET config " + repo + "@" + config)
        .getBytes();
    return Optional.of(ImageConfig.parse(json));
  }

  private static String ref(String repo, String reference) {
    return repo + (reference.contains(":") ? "@" : ":") + reference;
  }

  private <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // Not a RebuildException: the rebuilder adds which image was being rebuilt.
      throw new IllegalStateException(what + " at the local registry " + client.registry() + " failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " at the local registry " + client.registry()
          + " did not answer within " + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }
}
