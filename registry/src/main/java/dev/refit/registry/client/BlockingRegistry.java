package dev.refit.registry.client;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One registry's images read from blocking code (the planner, the patch stage, the rebuilders),
 * over a {@link RegistryClient} and {@link Await}; its signatures carry no Vert.x type, so plain
 * Java modules use it. Thread-safe; blocking, never call it on an event loop.
 */
public record BlockingRegistry(RegistryClient client, Duration timeout) {
  /** The registry as references spell it, e.g. {@code 127.0.0.1:8787}. */
  public String registry() {
    return client.registry();
  }

  /** The manifest {@code repository:reference}; an index resolves to {@code platform}'s child. */
  public RawManifest manifest(String repository, String reference, Platform platform) {
    return Await.result(client.getManifest(repository, reference, platform), timeout,
        "reading the manifest of " + where(repository, reference));
  }

  /** The manifest exactly as stored under {@code reference}, index or not. */
  public RawManifest manifest(String repository, String reference) {
    return Await.result(client.getManifest(repository, reference), timeout,
        "reading the manifest of " + where(repository, reference));
  }

  /** The manifest's descriptor when {@code repository} has it, else empty. */
  public Optional<Descriptor> head(String repository, String reference) {
    return Await.result(client.headManifest(repository, reference), timeout,
        "checking " + where(repository, reference));
  }

  /** A small blob's verified bytes (an image config); fails past {@code maxBytes}. */
  public byte[] smallBlob(String repository, Digest digest, long maxBytes) {
    return Await.result(client.readBlob(repository, digest, maxBytes), timeout,
        "reading blob " + digest + " of " + where(repository, null)).getBytes();
  }

  /**
   * Pulls a blob into {@code dir} as {@code <alg>-<hex>}, verified against its digest before it
   * appears under that name; a copy already there is reused. The caller deletes it.
   */
  public Path pullBlob(String repository, Digest digest, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(digest.algorithm().id() + "-" + digest.hex());
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path tmp = Files.createTempFile(dir, "blob-", ".part");
    try {
      Await.result(client.pullBlob(repository, digest, tmp), timeout,
          "pulling blob " + digest + " of " + where(repository, null));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Every repository name, all pages. */
  public List<String> catalog() {
    return Await.result(client.catalog(), timeout, "listing the catalog of " + client.registry());
  }

  private String where(String repository, String reference) {
    return client.registry() + "/" + repository
        + (reference == null ? "" : (reference.contains(":") ? "@" : ":") + reference);
  }
}
