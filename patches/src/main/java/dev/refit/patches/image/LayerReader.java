package dev.refit.patches.image;

import dev.refit.registry.oci.Descriptor;
import java.io.IOException;
import java.nio.file.Path;

/** Finds a layer blob's bytes as a file that can be read at any offset. Blocking. */
@FunctionalInterface
public interface LayerReader {
  /**
   * A file holding exactly the blob's bytes: read in place from a local store, or pulled
   * (digest-verified) into a temporary directory that outlives the run's reads. Callers read it
   * and never change or delete it.
   */
  Path blobFile(Descriptor layer) throws IOException;
}
