package dev.refit.pipeline.mirror;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.ImageSink;
import dev.refit.registry.copy.LayoutSink;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.StoreSink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a mirror run writes: a registry, the embedded store (in process) or an OCI layout. It
 * answers what a destination tag holds now, so an unchanged image costs one lookup, and hands
 * out one sink per repository. Thread-safe.
 */
public interface Destination {

  /** The repository a mirrored image lands in, given its name below the destination. */
  String repository(String suffix);

  /** How the report names {@code ref} of {@code repository}. */
  String describe(String repository, String ref);

  /** The digest {@code ref} (a tag or digest) points at now; empty when absent. */
  Future<Optional<Digest>> head(String repository, String ref);

  /** The manifest {@code ref} points at now; empty when absent. */
  Future<Optional<RawManifest>> manifest(String repository, String ref);

  ImageSink sink(String repository);

  /** True when writing needs no network (the embedded store, an OCI layout). */
  boolean local();

  Future<Void> close();

  /** {@code docker://HOST[/PREFIX]}: repositories go under {@code PREFIX}. */
  final class Registry implements Destination {
    private final RegistryClient client;
    private final String prefix;
    private final Map<String, ImageSink> sinks = new ConcurrentHashMap<>();

    Registry(RegistryClient client, String prefix) {
      this.client = client;
      this.prefix = prefix;
    }

    @Override
    public String repository(String suffix) {
      return prefix.isEmpty() ? suffix : prefix + "/" + suffix;
    }

    @Override
    public String describe(String repository, String ref) {
      return "docker://" + client.registry() + "/" + repository + (Digest.isValid(ref) ? "@" : ":") + ref;
    }

    @Override
    public Future<Optional<Digest>> head(String repository, String ref) {
      return client.headManifest(repository, ref).map(d -> d.map(Descriptor::digest));
    }

    @Override
    public Future<Optional<RawManifest>> manifest(String repository, String ref) {
      return head(repository, ref).compose(d -> d.isEmpty() ? Future.succeededFuture(Optional.empty())
          : client.getManifest(repository, ref).map(Optional::of));
    }

    @Override
    public ImageSink sink(String repository) {
      return sinks.computeIfAbsent(repository, r -> new RegistrySink(client, r));
    }

    @Override
    public boolean local() {
      return false;
    }

    @Override
    public Future<Void> close() {
      return client.close();
    }
  }

  /** The embedded registry's store, written in process while this run holds its lock. */
  final class Store implements Destination {
    private final Vertx vertx;
    private final FsStore store;
    private final StoreLock lock;
    private final Map<String, ImageSink> sinks = new ConcurrentHashMap<>();

    Store(Vertx vertx, FsStore store, StoreLock lock) {
      this.vertx = vertx;
      this.store = store;
      this.lock = lock;
    }

    @Override
    public String repository(String suffix) {
      return suffix;
    }

    @Override
    public String describe(String repository, String ref) {
      return "store:" + repository + (Digest.isValid(ref) ? "@" : ":") + ref;
    }

    @Override
    public Future<Optional<Digest>> head(String repository, String ref) {
      return manifest(repository, ref).map(m -> m.map(RawManifest::digest));
    }

    @Override
    public Future<Optional<RawManifest>> manifest(String repository, String ref) {
      return vertx.executeBlocking(() -> store.get(repository, ref), false);
    }

    @Override
    public ImageSink sink(String repository) {
      return sinks.computeIfAbsent(repository, r -> new StoreSink(vertx, store, r));
    }

    @Override
    public boolean local() {
      return true;
    }

    @Override
    public Future<Void> close() {
      return Future.all(sinks.values().stream().map(ImageSink::close).toList())
          .<Void>mapEmpty().eventually(() -> vertx.executeBlocking(() -> {
            lock.close();
            return null;
          }, false));
    }
  }

  /** {@code oci:DIR}: each image is named {@code repository:tag} in index.json. */
  final class Layout implements Destination {
    private final Vertx vertx;
    private final OciLayout layout;
    private final ImageSink sink;

    Layout(Vertx vertx, OciLayout layout) {
      this.vertx = vertx;
      this.layout = layout;
      this.sink = new LayoutSink(vertx, layout);
    }

    @Override
    public String repository(String suffix) {
      return suffix;
    }

    @Override
    public String describe(String repository, String ref) {
      return "oci:" + layout.root() + ":" + refName(repository, ref);
    }

    @Override
    public Future<Optional<Digest>> head(String repository, String ref) {
      return vertx.executeBlocking(() -> layout.find(refName(repository, ref)).map(Descriptor::digest), false);
    }

    @Override
    public Future<Optional<RawManifest>> manifest(String repository, String ref) {
      return vertx.executeBlocking(() -> layout.find(refName(repository, ref)).map(layout::readManifest), false);
    }

    /** One sink for the layout; the reference given to it carries the repository. */
    @Override
    public ImageSink sink(String repository) {
      return new Named(sink, repository);
    }

    @Override
    public boolean local() {
      return true;
    }

    @Override
    public Future<Void> close() {
      return sink.close();
    }

    static String refName(String repository, String ref) {
      return repository + (Digest.isValid(ref) ? "@" : ":") + ref;
    }

    /** Prefixes tags with the repository, so one layout holds many repositories. */
    private record Named(ImageSink inner, String repository) implements ImageSink {
      @Override
      public Future<Boolean> hasBlob(Descriptor blob) {
        return inner.hasBlob(blob);
      }

      @Override
      public Future<Boolean> mount(Descriptor blob, dev.refit.registry.copy.Origin from) {
        return inner.mount(blob, from);
      }

      @Override
      public Future<Void> putBlob(Descriptor blob, dev.refit.registry.copy.BlobPayload payload) {
        return inner.putBlob(blob, payload);
      }

      @Override
      public Future<Void> putManifest(String reference, RawManifest manifest) {
        return inner.putManifest(reference == null || Digest.isValid(reference) ? reference
            : refName(repository, reference), manifest);
      }
    }
  }
}
