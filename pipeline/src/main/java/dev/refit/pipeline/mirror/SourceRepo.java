package dev.refit.pipeline.mirror;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.ImageSource;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One source repository of a mirror run: what its tags are, what a tag points at (cheaply: a
 * HEAD for a registry), small blobs such as configs, and the {@link ImageSource} the copier
 * reads. Thread-safe.
 */
public interface SourceRepo {

  /** How the report names {@code ref} of this repository, e.g. {@code docker://quay.io/ceph/ceph:v18}. */
  String describe(String ref);

  /** The repository path, e.g. {@code ceph/ceph-grafana}; destination names derive from it. */
  String repository();

  /** The registry host for registries; empty for local sources. */
  Optional<String> registry();

  Future<List<String>> tags();

  /** The digest {@code ref} points at now; empty when there is no such tag. */
  Future<Optional<Digest>> head(String ref);

  /** A small blob's bytes (an image config). */
  Future<byte[]> smallBlob(Descriptor blob);

  ImageSource images();

  static SourceRepo registry(RegistryClient client, String repository) {
    return new Remote(client, repository, new RegistrySource(client, repository));
  }

  static SourceRepo layout(Vertx vertx, OciLayout layout, String name) {
    return new Layout(vertx, layout, name, new LayoutSource(vertx, layout));
  }

  /** A repository of a registry, through a client shared by the run. */
  record Remote(RegistryClient client, String repository, ImageSource images) implements SourceRepo {
    static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;

    @Override
    public String describe(String ref) {
      return "docker://" + client.registry() + "/" + repository + (ref.contains(":") ? "@" : ":") + ref;
    }

    @Override
    public Optional<String> registry() {
      return Optional.of(client.registry());
    }

    @Override
    public Future<List<String>> tags() {
      return client.tags(repository);
    }

    @Override
    public Future<Optional<Digest>> head(String ref) {
      return client.headManifest(repository, ref).map(d -> d.map(Descriptor::digest));
    }

    @Override
    public Future<byte[]> smallBlob(Descriptor blob) {
      return client.readBlob(repository, blob.digest(), MAX_CONFIG_BYTES).map(b -> b.getBytes());
    }
  }

  /** An OCI image layout; tags are its index.json ref names. */
  record Layout(Vertx vertx, OciLayout layout, String repository, ImageSource images) implements SourceRepo {

    @Override
    public String describe(String ref) {
      return "oci:" + layout.root() + ":" + ref;
    }

    @Override
    public Optional<String> registry() {
      return Optional.empty();
    }

    @Override
    public Future<List<String>> tags() {
      return vertx.executeBlocking(() -> layout.readIndex().manifests().stream()
          .map(d -> d.annotations().get(OciLayout.REF_NAME)).filter(Objects::nonNull).toList(), false);
    }

    @Override
    public Future<Optional<Digest>> head(String ref) {
      return vertx.executeBlocking(() -> Digest.isValid(ref) ? Optional.of(Digest.parse(ref))
          : layout.find(ref).map(Descriptor::digest), false);
    }

    @Override
    public Future<byte[]> smallBlob(Descriptor blob) {
      return vertx.executeBlocking(() -> {
        try (InputStream in = layout.openBlob(blob.digest())) {
          return in.readAllBytes();
        }
      }, false);
    }
  }

  /** An oci-archive: or docker-archive: read through a layout in a work directory; the report names the archive. */
  record Archive(String label, SourceRepo extracted) implements SourceRepo {

    @Override
    public String describe(String ref) {
      return label + ":" + ref;
    }

    @Override
    public String repository() {
      return extracted.repository();
    }

    @Override
    public Optional<String> registry() {
      return Optional.empty();
    }

    @Override
    public Future<List<String>> tags() {
      return extracted.tags();
    }

    @Override
    public Future<Optional<Digest>> head(String ref) {
      return extracted.head(ref);
    }

    @Override
    public Future<byte[]> smallBlob(Descriptor blob) {
      return extracted.smallBlob(blob);
    }

    @Override
    public ImageSource images() {
      return extracted.images();
    }
  }
}
