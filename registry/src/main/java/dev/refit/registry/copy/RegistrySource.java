package dev.refit.registry.copy;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.Optional;

/** Reads one repository of a registry through a {@link RegistryClient}. Thread-safe. */
public final class RegistrySource implements ImageSource {
  private final RegistryClient client;
  private final String repository;
  private final boolean ownsClient;

  /** Uses {@code client} without taking ownership: {@link #close} leaves it open. */
  public RegistrySource(RegistryClient client, String repository) {
    this(client, repository, false);
  }

  private RegistrySource(RegistryClient client, String repository, boolean ownsClient) {
    this.client = client;
    this.repository = repository;
    this.ownsClient = ownsClient;
  }

  /** Takes ownership of {@code client}: {@link #close} closes it. */
  public static RegistrySource owning(RegistryClient client, String repository) {
    return new RegistrySource(client, repository, true);
  }

  @Override
  public Future<Void> close() {
    return ownsClient ? client.close() : Future.succeededFuture();
  }

  @Override
  public Future<RawManifest> manifest(String reference) {
    return client.getManifest(repository, reference);
  }

  /** Streams the blob straight from the response; the sink verifies the digest. */
  @Override
  public Future<BlobPayload> blob(Descriptor blob) {
    return client.openBlob(repository, blob.digest()).map(BlobPayload.FromStream::new);
  }

  /** The referrers API, else the {@code sha256-<hex>} tag's index (distribution-spec "Referrers Tag Schema"). */
  @Override
  public Future<Referrers> referrers(Digest subject) {
    String tag = Referrers.fallbackTag(subject);
    return client.referrers(repository, subject).compose(api -> api.isPresent()
        ? Future.succeededFuture(new Referrers(api.get()))
        : client.headManifest(repository, tag).compose(head -> head.isEmpty()
            ? Future.succeededFuture(Referrers.NONE)
            : client.getManifest(repository, tag).map(raw -> new Referrers(Index.parse(raw.bytes()).manifests()))));
  }

  @Override
  public Optional<Origin> origin() {
    return Optional.of(new Origin(client.registry(), repository));
  }
}
