package dev.refit.registry.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Test kit: an HTTP proxy on a free port in front of a real registry that injects upstream
 * faults on command and counts the requests of each kind. Thread-safe (handlers run on the
 * proxy's event loop; commands and counters may be used from any thread).
 *
 * <pre>{@code
 * FaultProxy proxy = FaultProxy.start(vertx, registry.baseUrl());
 * proxy.failNext(FaultProxy.BLOB_GET, FaultProxy.Fault.RESET_MID_BODY, 1);
 * RegistryClient.create(vertx, proxy.hostPort(), options) ...
 * assertThat(proxy.count(FaultProxy.BLOB_GET)).isEqualTo(2);
 * }</pre>
 *
 * <p>A fault applies to the next requests of its kind, in the order commands were given.
 * Body faults send the response head of the real answer and then break the body.
 */
public final class FaultProxy implements AutoCloseable {

  /** A kind of request: a method and a path pattern. */
  public record Kind(HttpMethod method, Pattern path) {
    public static Kind of(HttpMethod method, String pathRegex) {
      return new Kind(method, Pattern.compile(pathRegex));
    }

    boolean matches(HttpServerRequest req) {
      return method.equals(req.method()) && path.matcher(req.path()).matches();
    }
  }

  public static final Kind BLOB_GET = Kind.of(HttpMethod.GET, "/v2/.+/blobs/[a-z0-9]+:[a-f0-9]+");
  public static final Kind MANIFEST_GET = Kind.of(HttpMethod.GET, "/v2/.+/manifests/[^/]+");
  public static final Kind MANIFEST_HEAD = Kind.of(HttpMethod.HEAD, "/v2/.+/manifests/[^/]+");

  /** What goes wrong with one response. */
  public enum Fault {
    /** 429 with {@code Retry-After: 1}. */
    TOO_MANY_REQUESTS,
    INTERNAL_ERROR,
    BAD_GATEWAY,
    UNAVAILABLE,
    /** Half the body, then the connection is reset. */
    RESET_MID_BODY,
    /** The full Content-Length is announced, all but the last 1000 bytes are sent, then close. */
    TRUNCATED_BODY,
    /** The whole body with one byte in the middle flipped. */
    FLIP_BYTE
  }

  private record Rule(Kind kind, Fault fault, AtomicInteger remaining) {}

  private record Seen(HttpMethod method, String path, String range) {
    boolean is(Kind kind) {
      return kind.method().equals(method) && kind.path().matcher(path).matches();
    }
  }

  private final Vertx vertx;
  private final HttpClient upstream;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile boolean rangesSupported = true;
  private HttpServer server;

  private FaultProxy(Vertx vertx, String upstreamHost, int upstreamPort) {
    this.vertx = vertx;
    this.upstream = vertx.createHttpClient();
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
  }

  /** Starts in front of {@code registry}; blocks, so call it from the test's thread. */
  public static FaultProxy start(Vertx vertx, InProcessRegistry registry) {
    FaultProxy proxy = new FaultProxy(vertx, "127.0.0.1", registry.port());
    proxy.server = await(vertx.createHttpServer().requestHandler(proxy::handle).listen(0, "127.0.0.1"));
    return proxy;
  }

  /** {@code 127.0.0.1:<port>}, the registry host as image references spell it. */
  public String hostPort() {
    return "127.0.0.1:" + server.actualPort();
  }

  /** Injects {@code fault} into the next {@code n} requests of {@code kind}. */
  public FaultProxy failNext(Kind kind, Fault fault, int n) {
    rules.add(new Rule(kind, fault, new AtomicInteger(n)));
    return this;
  }

  /** Injects {@code fault} into every request of {@code kind} from now on. */
  public FaultProxy failAlways(Kind kind, Fault fault) {
    return failNext(kind, fault, Integer.MAX_VALUE);
  }

  /** With false, the proxy drops {@code Range} headers: the upstream then always answers 200. */
  public FaultProxy supportRanges(boolean value) {
    rangesSupported = value;
    return this;
  }

  /** Requests of {@code kind} seen so far, faulty or not. */
  public int count(Kind kind) {
    return (int) seen.stream().filter(s -> s.is(kind)).count();
  }

  /** The {@code Range} headers the requests of {@code kind} carried, in order. */
  public List<String> rangeHeaders(Kind kind) {
    return seen.stream().filter(s -> s.is(kind) && s.range() != null).map(Seen::range).toList();
  }

  private void handle(HttpServerRequest req) {
    seen.add(new Seen(req.method(), req.path(), req.getHeader("Range")));
    Fault chosen = take(req);
    req.body().compose(body -> forward(req, body)).onComplete(ar -> {
      if (ar.failed()) {
        req.response().setStatusCode(502).end();
        return;
      }
      respond(req, ar.result(), chosen);
    });
  }

  private Fault take(HttpServerRequest req) {
    for (Rule rule : rules) {
      if (rule.kind.matches(req) && rule.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        return rule.fault;
      }
    }
    return null;
  }

  private record Answer(int status, MultiMap headers, Buffer body) {}

  private Future<Answer> forward(HttpServerRequest req, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(upstreamHost)
        .setPort(upstreamPort).setURI(req.uri());
    req.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Host") && (rangesSupported || !name.equalsIgnoreCase("Range"))) {
        options.addHeader(name, value);
      }
    });
    return upstream.request(options)
        .compose(r -> r.send(body))
        .compose((HttpClientResponse resp) -> resp.body()
            .map(b -> new Answer(resp.statusCode(), MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()), b)));
  }

  private void respond(HttpServerRequest req, Answer answer, Fault fault) {
    HttpServerResponse resp = req.response();
    if (fault != null && status(fault) > 0) {
      resp.setStatusCode(status(fault));
      if (fault == Fault.TOO_MANY_REQUESTS) {
        resp.putHeader("Retry-After", "1");
      }
      resp.end("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected " + fault + "\"}]}");
      return;
    }
    resp.setStatusCode(answer.status);
    answer.headers.forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Transfer-Encoding")
          && (rangesSupported || !name.equalsIgnoreCase("Accept-Ranges"))) {
        resp.headers().add(name, value);
      }
    });
    Buffer body = answer.body;
    boolean hasBody = req.method() != HttpMethod.HEAD && body.length() > 0;
    if (fault == null || !hasBody) {
      resp.end(req.method() == HttpMethod.HEAD ? Buffer.buffer() : body);
      return;
    }
    resp.putHeader("Content-Length", String.valueOf(body.length()));
    switch (fault) {
      case RESET_MID_BODY -> resp.write(body.getBuffer(0, body.length() / 2))
          .onComplete(ar -> resp.reset());
      case TRUNCATED_BODY -> resp.write(body.getBuffer(0, Math.max(0, body.length() - 1000)))
          .onComplete(ar -> req.connection().close());
      case FLIP_BYTE -> {
        Buffer flipped = body.copy();
        int at = body.length() / 2;
        flipped.setByte(at, (byte) (flipped.getByte(at) ^ 0x5a));
        resp.end(flipped);
      }
      default -> throw new IllegalStateException("not a body fault: " + fault);
    }
  }

  private static int status(Fault fault) {
    return switch (fault) {
      case TOO_MANY_REQUESTS -> 429;
      case INTERNAL_ERROR -> 500;
      case BAD_GATEWAY -> 502;
      case UNAVAILABLE -> 503;
      default -> 0;
    };
  }

  @Override
  public void close() {
    await(server.close().eventually(upstream::close));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("fault proxy did not start or stop within 30 s", e);
    }
  }
}
