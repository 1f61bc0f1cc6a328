package dev.refit.registry.store.fs;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the filesystem store. Immutable.
 *
 * @param uploadExpiry an upload whose data was last written longer ago than this is abandoned
 *     and removed by {@link FsStore#expireUploads()}. Default 24h: shorter than distribution's
 *     upload purging age (168h) because refit's registry is local and short-lived, and a client
 *     resuming an upload does so within minutes.
 * @param gcGrace an unreferenced blob younger than this (file mtime) is never swept: it may have
 *     just been committed or linked by a push whose manifest PUT has not arrived yet. Default 1h.
 */
public record StoreOptions(Duration uploadExpiry, Duration gcGrace) {
  public StoreOptions {
    Objects.requireNonNull(uploadExpiry, "uploadExpiry");
    Objects.requireNonNull(gcGrace, "gcGrace");
    if (uploadExpiry.isNegative() || gcGrace.isNegative()) {
      throw new IllegalArgumentException(
          "store durations must be >= 0, got uploadExpiry=" + uploadExpiry + " gcGrace=" + gcGrace);
    }
  }

  public static StoreOptions defaults() {
    return new StoreOptions(Duration.ofHours(24), Duration.ofHours(1));
  }

  public StoreOptions withUploadExpiry(Duration d) {
    return new StoreOptions(d, gcGrace);
  }

  public StoreOptions withGcGrace(Duration d) {
    return new StoreOptions(uploadExpiry, d);
  }
}
