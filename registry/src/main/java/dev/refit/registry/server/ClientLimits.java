package dev.refit.registry.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client (one remote address) may use of a registry: open connections, and failed
 * logins before it is told to wait. Immutable.
 *
 * <p>Every client behind one address (a NAT, or all local tools on loopback) shares these
 * limits, so the defaults leave room for several pushes at once: Docker and containerd open a
 * handful of connections per push, refit's own client at most 16.
 *
 * @param maxConnectionsPerClient connections one address may hold open; the next is closed
 * @param maxFailedLogins failed logins one address may make within {@code loginWindow}; after
 *     that it gets 429 with {@code Retry-After} until the window ends
 * @param loginWindow the window failed logins are counted in, and the longest wait imposed
 */
public record ClientLimits(int maxConnectionsPerClient, int maxFailedLogins, Duration loginWindow) {
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 128;
  public static final int DEFAULT_MAX_FAILED_LOGINS = 10;
  public static final Duration DEFAULT_LOGIN_WINDOW = Duration.ofMinutes(1);

  public ClientLimits {
    Objects.requireNonNull(loginWindow, "loginWindow");
    if (maxConnectionsPerClient <= 0) {
      throw new IllegalArgumentException(
          "maxConnectionsPerClient must be positive, got " + maxConnectionsPerClient);
    }
    if (maxFailedLogins <= 0) {
      throw new IllegalArgumentException("maxFailedLogins must be positive, got " + maxFailedLogins);
    }
    if (loginWindow.toMillis() < 1000) {
      throw new IllegalArgumentException("loginWindow must be at least 1s, got " + loginWindow);
    }
  }

  public static ClientLimits defaults() {
    return new ClientLimits(DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_MAX_FAILED_LOGINS,
        DEFAULT_LOGIN_WINDOW);
  }

  public ClientLimits withMaxConnectionsPerClient(int value) {
    return new ClientLimits(value, maxFailedLogins, loginWindow);
  }

  public ClientLimits withFailedLogins(int max, Duration window) {
    return new ClientLimits(maxConnectionsPerClient, max, window);
  }
}
