package dev.refit.registry.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections one remote address holds open, closing each one over the cap as soon as
 * it is accepted, so that one or two clients cannot take every file descriptor the server has.
 * Thread-safe.
 *
 * <p>Refusals are logged as one line per minute at most, however many there are.
 */
final class ConnectionLimiter implements Handler<HttpConnection> {
  private static final System.Logger LOG = System.getLogger(ConnectionLimiter.class.getName());
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final int maxPerClient;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicLong refusedSinceLog = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  ConnectionLimiter(int maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  @Override
  public void handle(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? ""
        : connection.remoteAddress().hostAddress();
    if (open.merge(address, 1, Integer::sum) > maxPerClient) {
      release(address);
      connection.close();
      refused(address);
      return;
    }
    connection.closeHandler(v -> release(address));
  }

  private void release(String address) {
    open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }

  private void refused(String address) {
    long refused = refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      refusedSinceLog.addAndGet(-refused);
      LOG.log(System.Logger.Level.WARNING, "closed " + refused + " connection(s) over the limit of "
          + maxPerClient + " per client (latest from " + address + "); raise it with "
          + "--max-connections-per-client if a client really needs more");
    }
  }
}
