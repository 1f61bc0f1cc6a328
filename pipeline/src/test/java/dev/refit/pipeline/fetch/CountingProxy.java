package dev.refit.pipeline.fetch;

import static dev.refit.pipeline.fetch.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test kit: a TCP proxy on port 0 in front of a registry that counts every accepted connection
 * and logs the request lines the client sent, so a test can prove what reached the upstream.
 * Event-loop only inside; the accessors are thread-safe.
 */
public final class CountingProxy {
  // Fetch sends only bodiless GET/HEAD requests, so request lines are unambiguous in the stream.
  private static final Pattern REQUEST_LINE =
      Pattern.compile("(?m)^(GET|HEAD|POST|PUT|PATCH|DELETE) (\\S+) HTTP/1\\.[01]\\r?$");

  private final NetServer server;
  private final NetClient client;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<StringBuffer> streams = new CopyOnWriteArrayList<>();

  private CountingProxy(Vertx vertx, int targetPort) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> accept(in, targetPort));
  }

  public static CountingProxy start(Vertx vertx, int targetPort) {
    CountingProxy proxy = new CountingProxy(vertx, targetPort);
    await(proxy.server.listen(0, "127.0.0.1"));
    return proxy;
  }

  private void accept(NetSocket in, int targetPort) {
    connections.incrementAndGet();
    StringBuffer log = new StringBuffer();
    streams.add(log);
    in.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      forward(in, out, log);
      forward(out, in, null);
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    });
  }

  private static void forward(NetSocket from, NetSocket to, StringBuffer log) {
    from.handler((Buffer b) -> {
      if (log != null) {
        log.append(b.toString(StandardCharsets.ISO_8859_1));
      }
      to.write(b);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
  }

  public int port() {
    return server.actualPort();
  }

  public int connections() {
    return connections.get();
  }

  /** "METHOD path" of every request sent through the proxy, per connection in arrival order. */
  public List<String> requests() {
    List<String> out = new ArrayList<>();
    for (StringBuffer s : streams) {
      Matcher m = REQUEST_LINE.matcher(s);
      while (m.find()) {
        out.add(m.group(1) + " " + m.group(2));
      }
    }
    return out;
  }

  public Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
