package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;
import java.util.Optional;

/** Answers whether a committed blob exists and how large it is. Blocking; thread-safe. */
public interface BlobStatter {
  Optional<BlobInfo> stat(Digest digest);
}
