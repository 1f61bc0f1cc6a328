package dev.refit.patches.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fake of a Gerrit server speaking its real wire format: the {@code )]}'} XSSI line before
 * JSON, ChangeInfo with status NEW/MERGED/ABANDONED, base64 patch bodies, and 404 "Not found: ..."
 * text bodies. Counts requests by path. Thread-safe.
 */
public final class GerritFake implements AutoCloseable {
  /** One patchset: its number, commit sha and patch bytes. */
  public record Patchset(int number, String sha, byte[] patch) {}

  private record Change(String project, String branch, String changeId, String status,
      String submitted, List<Patchset> patchsets) {}

  private final HttpServer server;
  private final Map<String, Change> changes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  private GerritFake(HttpServer server) {
    this.server = server;
  }

  public static GerritFake start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    GerritFake fake = new GerritFake(s);
    s.createContext("/", fake::handle);
    s.start();
    return fake;
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a change; {@code submitted} in Gerrit's format, or null. Later patchsets last. */
  public void add(String project, String branch, String changeId, String status, String submitted,
      Patchset... patchsets) {
    changes.put(triplet(project, branch, changeId),
        new Change(project, branch, changeId, status, submitted, List.of(patchsets)));
  }

  public int hits(String rawPathPrefix) {
    return hits.entrySet().stream().filter(e -> e.getKey().startsWith(rawPathPrefix))
        .mapToInt(e -> e.getValue().get()).sum();
  }

  public int patchDownloads() {
    return hits.entrySet().stream().filter(e -> e.getKey().endsWith("/patch"))
        .mapToInt(e -> e.getValue().get()).sum();
  }

  static String triplet(String project, String branch, String changeId) {
    return enc(project) + "~" + enc(branch) + "~" + enc(changeId);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    hits.computeIfAbsent(raw, k -> new AtomicInteger()).incrementAndGet();
    String query = ex.getRequestURI().getRawQuery();
    String[] parts = raw.split("/");
    // /changes/<triplet>[/revisions/<rev>/patch]
    if (parts.length < 3 || !"changes".equals(parts[1])) {
      send(ex, 404, "text/plain", "Not found: " + raw + "\n");
      return;
    }
    Change c = changes.get(parts[2]);
    if (c == null) {
      send(ex, 404, "text/plain", "Not found: " + URI.create("x:" + parts[2]).getSchemeSpecificPart()
          + "\n");
      return;
    }
    if (parts.length == 3) {
      boolean all = query != null && query.contains("o=ALL_REVISIONS");
      send(ex, 200, "application/json", ")]}'\n" + changeInfo(c, all));
      return;
    }
    if (parts.length == 6 && "revisions".equals(parts[3]) && "patch".equals(parts[5])) {
      for (Patchset ps : c.patchsets()) {
        if (ps.sha().equals(parts[4]) || String.valueOf(ps.number()).equals(parts[4])) {
          ex.getResponseHeaders().add("X-FYI-Content-Encoding", "base64");
          ex.getResponseHeaders().add("X-FYI-Content-Type", "application/mbox");
          send(ex, 200, "text/plain; charset=ISO-8859-1",
              Base64.getEncoder().encodeToString(ps.patch()));
          return;
        }
      }
      send(ex, 404, "text/plain", "Not found: " + parts[4] + "\n");
      return;
    }
    send(ex, 404, "text/plain", "Not found\n");
  }

  private static String changeInfo(Change c, boolean all) {
    Patchset current = c.patchsets().get(c.patchsets().size() - 1);
    List<String> revs = new ArrayList<>();
    Map<Integer, Patchset> sorted = new TreeMap<>();
    c.patchsets().forEach(p -> sorted.put(p.number(), p));
    for (Patchset p : sorted.values()) {
      if (all || p == current) {
        revs.add("\"" + p.sha() + "\": {\"kind\": \"REWORK\", \"_number\": " + p.number()
            + ", \"created\": \"2018-04-01 10:00:00.000000000\", \"ref\": \"refs/changes/45/12345/"
            + p.number() + "\"}");
      }
    }
    return "{\n  \"id\": \"" + triplet(c.project(), c.branch(), c.changeId()) + "\",\n"
        + "  \"project\": \"" + c.project() + "\",\n  \"branch\": \"" + c.branch() + "\",\n"
        + "  \"change_id\": \"" + c.changeId() + "\",\n  \"subject\": \"Fix a bug\",\n"
        + "  \"status\": \"" + c.status() + "\",\n"
        + "  \"created\": \"2018-04-01 10:00:00.000000000\",\n"
        + "  \"updated\": \"2018-05-02 08:00:00.000000000\",\n"
        + (c.submitted() == null ? "" : "  \"submitted\": \"" + c.submitted() + "\",\n")
        + "  \"_number\": 12345,\n  \"current_revision\": \"" + current.sha() + "\",\n"
        + "  \"revisions\": {" + String.join(",\n", revs) + "}\n}\n";
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
