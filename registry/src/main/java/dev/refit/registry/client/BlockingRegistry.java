package dev.refit.registry.client;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
   * A blob's bytes, pulled into a temporary file under {@code tmpDir} and verified against its
   * digest before the stream opens; the file is deleted when the stream is closed.
   */
  public InputStream openBlob(String repository, Digest digest, Path tmpDir) throws IOException {
    Files.createDirectories(tmpDir);
    Path tmp = Files.createTempFile(tmpDir, "blob-", ".part");
    try {
      Await.result(client.pullBlob(repository, digest, tmp), timeout,
          "pulling blob " + digest + " of " + where(repository, null));
      return new FilterInputStream(Files.newInputStream(tmp)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
      };
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
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
