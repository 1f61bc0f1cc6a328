package dev.refit.registry.copy;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one repository of a registry through a {@link RegistryClient}; the registry verifies
 * each blob's digest on the closing PUT (distribution-spec "Pushing Blobs"). Thread-safe.
 */
public final class RegistrySink implements ImageSink {
  private final RegistryClient client;
  private final String repository;
  private final boolean ownsClient;

  /** Uses {@code client} without taking ownership: {@link #close} leaves it open. */
  public RegistrySink(RegistryClient client, String repository) {
    this(client, repository, false);
  }

  private RegistrySink(RegistryClient client, String repository, boolean ownsClient) {
    this.client = client;
    this.repository = repository;
    this.ownsClient = ownsClient;
  }

  /** Takes ownership of {@code client}: {@link #close} closes it. */
  public static RegistrySink owning(RegistryClient client, String repository) {
    return new RegistrySink(client, repository, true);
  }

  @Override
  public Future<Void> close() {
    return ownsClient ? client.close() : Future.succeededFuture();
  }

  @Override
  public Future<Boolean> hasBlob(Descriptor blob) {
    return client.headBlob(repository, blob.digest()).map(Optional::isPresent);
  }

  @Override
  public Optional<Origin> origin() {
    return Optional.of(new Origin(client.registry(), repository));
  }

  /** Mounts only within the same registry, from another repository. */
  @Override
  public Future<Boolean> mount(Descriptor blob, Origin from) {
    if (from == null || !from.registry().equals(client.registry()) || from.repository().equals(repository)) {
      return Future.succeededFuture(false);
    }
    return client.mountBlob(repository, blob.digest(), from.repository());
  }

  @Override
  public Future<Void> putBlob(Descriptor blob, BlobPayload payload) {
    if (payload instanceof BlobPayload.FromFile file) {
      return client.pushBlob(repository, blob, file.file(), null).mapEmpty();
    }
    return client.pushBlob(repository, blob, ((BlobPayload.FromStream) payload).stream()).mapEmpty();
  }

  /**
   * Nothing when the registry answers the referrers API; otherwise adds the referrers to the
   * {@code sha256-<hex>} tag's index, keeping the entries already there (distribution-spec
   * "Pushing Manifests with Subject": a client of a registry without the API maintains the tag).
   */
  @Override
  public Future<Void> putReferrers(Digest subject, Referrers referrers) {
    if (referrers.manifests().isEmpty()) {
      return Future.succeededFuture();
    }
    String tag = Referrers.fallbackTag(subject);
    return client.referrers(repository, subject).compose(api -> api.isPresent() ? Future.succeededFuture()
        : client.headManifest(repository, tag)
            .compose(head -> head.isEmpty() ? Future.succeededFuture(List.<Descriptor>of())
                : client.getManifest(repository, tag).map(raw -> Index.parse(raw.bytes()).manifests()))
            .compose(existing -> {
              Map<Digest, Descriptor> merged = new LinkedHashMap<>();
              existing.forEach(d -> merged.put(d.digest(), d));
              referrers.manifests().forEach(d -> merged.putIfAbsent(d.digest(), d));
              if (merged.size() == existing.size()) {
                return Future.succeededFuture();
              }
              RawManifest index = Index.of(List.copyOf(merged.values())).toRaw();
              return client.putManifest(repository, tag, index).mapEmpty();
            }));
  }

  @Override
  public Future<Void> putManifest(String reference, RawManifest manifest) {
    String ref = reference == null ? manifest.digest().toString() : reference;
    return client.putManifest(repository, ref, manifest).mapEmpty();
  }
}
