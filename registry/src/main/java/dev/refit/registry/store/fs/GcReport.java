package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import java.util.List;

/**
 * What one garbage-collection run removed (or, when {@code dryRun}, would remove). Immutable.
 *
 * @param removedBlobs unreferenced blobs older than the grace period, sorted
 * @param bytesFreed their total size
 * @param expiredUploads ids of abandoned uploads older than the upload expiry
 * @param unlinked dangling repository links removed (to blobs or manifests the store no longer
 *     has), one line each naming the repository; empty on a dry run
 */
public record GcReport(
    List<Digest> removedBlobs,
    long bytesFreed,
    boolean dryRun,
    List<String> expiredUploads,
    List<String> unlinked) {
  public GcReport {
    removedBlobs = List.copyOf(removedBlobs);
    expiredUploads = List.copyOf(expiredUploads);
    unlinked = List.copyOf(unlinked);
  }
}
