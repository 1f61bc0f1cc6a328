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
 * @param gcInterval how often a serving registry runs {@link GarbageCollector} itself; zero (the
 *     default) never.
 */
public record StoreOptions(Duration uploadExpiry, Duration gcGrace, Duration gcInterval) {
  public StoreOptions {
    Objects.requireNonNull(uploadExpiry, "uploadExpiry");
    Objects.requireNonNull(gcGrace, "gcGrace");
    Objects.requireNonNull(gcInterval, "gcInterval");
    if (uploadExpiry.isNegative() || gcGrace.isNegative() || gcInterval.isNegative()) {
      throw new IllegalArgumentException("store durations must be >= 0, got uploadExpiry="
          + uploadExpiry + " gcGrace=" + gcGrace + " gcInterval=" + gcInterval);
    }
  }

  /** Without periodic garbage collection. */
  public StoreOptions(Duration uploadExpiry, Duration gcGrace) {
    this(uploadExpiry, gcGrace, Duration.ZERO);
  }

  public static StoreOptions defaults() {
    return new StoreOptions(Duration.ofHours(24), Duration.ofHours(1));
  }

  public StoreOptions withUploadExpiry(Duration d) {
    return new StoreOptions(d, gcGrace, gcInterval);
  }

  public StoreOptions withGcGrace(Duration d) {
    return new StoreOptions(uploadExpiry, d, gcInterval);
  }

  public StoreOptions withGcInterval(Duration d) {
    return new StoreOptions(uploadExpiry, gcGrace, d);
  }
}
