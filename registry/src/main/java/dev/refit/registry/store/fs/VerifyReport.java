package dev.refit.registry.store.fs;

import java.util.List;

/**
 * The findings of a {@link StoreVerifier} run. Immutable.
 *
 * @param corrupt blobs whose bytes no longer hash to their name, one line each
 * @param missing references (manifest bytes, config, layers, index children, tag targets) that
 *     point at nothing, one line each naming the repository and manifest
 */
public record VerifyReport(
    int blobsChecked, int manifestsChecked, List<String> corrupt, List<String> missing) {
  public VerifyReport {
    corrupt = List.copyOf(corrupt);
    missing = List.copyOf(missing);
  }

  public boolean ok() {
    return corrupt.isEmpty() && missing.isEmpty();
  }
}
