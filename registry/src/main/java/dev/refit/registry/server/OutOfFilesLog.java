package dev.refit.registry.server;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Collapses failures caused by running out of file descriptors (EMFILE/ENFILE, "Too many open
 * files") into one log line per interval: each failing store call would otherwise log a stack
 * trace, and under that condition nearly every call fails. Thread-safe.
 */
final class OutOfFilesLog {
  private static final long INTERVAL_NANOS = 60_000_000_000L;

  private final System.Logger log;
  private final LongSupplier nanoTime;
  private final AtomicLong sinceLog = new AtomicLong();
  private final AtomicLong lastLog;

  OutOfFilesLog(System.Logger log, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
    this.lastLog = new AtomicLong(nanoTime.getAsLong() - INTERVAL_NANOS);
  }

  /** True when {@code t} or one of its causes is the kernel's EMFILE or ENFILE. */
  static boolean isOutOfFiles(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      String text = c instanceof FileSystemException fs ? fs.getReason() : c.getMessage();
      if (c instanceof IOException && text != null && text.contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }

  /** Counts one failure; logs one line (with the count) unless one was logged this interval. */
  void failed(Throwable err) {
    long count = sinceLog.incrementAndGet();
    long now = nanoTime.getAsLong();
    long last = lastLog.get();
    if (now - last >= INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      sinceLog.addAndGet(-count);
      log.log(System.Logger.Level.ERROR, count + " request(s) failed: the registry is out of file"
          + " descriptors (" + err.getMessage() + "); raise its limit (ulimit -n, LimitNOFILE)"
          + " or lower --max-connections-per-client. Logged once a minute at most");
    }
  }
}
