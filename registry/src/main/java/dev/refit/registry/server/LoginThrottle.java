package dev.refit.registry.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per remote address in fixed windows and says how long an address that
 * failed too often must wait. Thread-safe.
 *
 * <p>Memory is bounded: at most {@value #MAX_TRACKED} addresses are remembered, the least
 * recently seen dropped first, and an expired window is forgotten when next looked at. An
 * attacker rotating through more addresses than that escapes the count, but still pays a bcrypt
 * verification per guess.
 */
final class LoginThrottle {
  static final int MAX_TRACKED = 10_000;

  private final int maxFailures;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private static final class Window {
    final long start;
    int failures;

    Window(long start) {
      this.start = start;
    }
  }

  LoginThrottle(ClientLimits limits, LongSupplier nanoClock) {
    this.maxFailures = limits.maxFailedLogins();
    this.windowNanos = limits.loginWindow().toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whole seconds {@code address} must wait before its next login attempt; 0 when it may try. */
  synchronized long retryAfterSeconds(String address) {
    Window w = current(address);
    if (w == null || w.failures < maxFailures) {
      return 0;
    }
    long left = windowNanos - (nanoClock.getAsLong() - w.start);
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  synchronized void failed(String address) {
    Window w = current(address);
    if (w == null) {
      w = new Window(nanoClock.getAsLong());
      windows.put(address, w);
    }
    w.failures++;
  }

  synchronized void succeeded(String address) {
    windows.remove(address);
  }

  synchronized int tracked() {
    return windows.size();
  }

  private Window current(String address) {
    Window w = windows.get(address);
    if (w != null && nanoClock.getAsLong() - w.start >= windowNanos) {
      windows.remove(address);
      return null;
    }
    return w;
  }
}
