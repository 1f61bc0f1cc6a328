package dev.refit.patches.source;

import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Reads changes and patches from a Gerrit server's REST API (anonymous access). Blocking; thread-safe.
 *
 * <p>Endpoints: "Get Change" ({@code GET /changes/{change-id}}) with the triplet id
 * {@code project~branch~Change-Id}, and "Get Patch"
 * ({@code GET /changes/{change-id}/revisions/{revision-id}/patch}), whose body is base64.
 */
public final class GerritClient {
  private final URI baseUrl;
  private final HttpClient http;
  private final Duration timeout;

  public GerritClient(URI baseUrl, HttpClient http, Duration timeout) {
    String s = baseUrl.toString();
    this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = http;
    this.timeout = timeout;
  }

  /** A client with its own HTTP client (redirects followed) and a 60 s request timeout. */
  public static GerritClient of(URI baseUrl) {
    return new GerritClient(baseUrl,
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build(),
        Duration.ofSeconds(60));
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /** Gerrit's triplet change id, each part URL-encoded ({@code openstack%2Fnova~master~I...}). */
  public static String tripletId(String project, String branch, String changeId) {
    return encode(project) + "~" + encode(branch) + "~" + encode(changeId);
  }

  /**
   * The change with its current revision, or with all revisions when {@code allRevisions}.
   *
   * @throws GerritChangeNotFoundException on 404, naming the change, project, branch and URL
   */
  public GerritChange change(String project, String branch, String changeId, boolean allRevisions) {
    String url = baseUrl + "/changes/" + tripletId(project, branch, changeId)
        + (allRevisions ? "?o=ALL_REVISIONS" : "?o=CURRENT_REVISION");
    HttpResponse<byte[]> resp = send(url, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() == 404) {
      throw new GerritChangeNotFoundException("Gerrit change " + changeId + " of project "
          + project + " on branch " + branch + " was not found at " + url + " (Gerrit said: "
          + firstLine(resp.body()) + "); check the change-id, project and branch in the settings");
    }
    expectOk(resp.statusCode(), url, resp.body());
    return GerritChange.parse(resp.body(), url);
  }

  /**
   * Downloads the patch of {@code revision} (a commit sha or patchset number) into {@code target},
   * base64-decoding and hashing while streaming; the file appears only once complete.
   *
   * @param maxBytes larger decoded patches are refused
   * @return the sha256 of the decoded patch
   */
  public Digest downloadPatch(String changeTriplet, String revision, Path target, long maxBytes) {
    String url = baseUrl + "/changes/" + changeTriplet + "/revisions/" + encode(revision) + "/patch";
    HttpResponse<InputStream> resp = send(url, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = resp.body()) {
      if (resp.statusCode() == 404) {
        throw new GerritChangeNotFoundException("Gerrit has no patch for revision " + revision
            + " of change " + changeTriplet + " at " + url + " (Gerrit said: "
            + firstLine(body.readNBytes(512)) + "); check the pinned revision");
      }
      if (resp.statusCode() != 200) {
        expectOk(resp.statusCode(), url, body.readNBytes(512));
      }
      return save(body, target, maxBytes, changeTriplet, revision);
    } catch (IOException | IllegalArgumentException e) {
      throw new PatchSourceException("could not download the patch of change " + changeTriplet
          + " revision " + revision + " from " + url + ": " + Causes.describe(e), e);
    }
  }

  private static Digest save(InputStream body, Path target, long maxBytes, String changeTriplet,
      String revision) throws IOException {
    try (AtomicFile file = AtomicFile.of(target)) {
      HashingOutputStream out = HashingOutputStream.sha256(file.output());
      // The MIME decoder skips the line breaks and trailing newline Gerrit may add.
      try (InputStream decoded = Base64.getMimeDecoder().wrap(body); out) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = decoded.read(buf)) > 0; ) {
          total += n;
          if (total > maxBytes) {
            throw new PatchSourceException("the patch of change " + changeTriplet + " revision "
                + revision + " is larger than the limit of " + maxBytes
                + " bytes (max_patch_bytes); raise the limit or split the change");
          }
          out.write(buf, 0, n);
        }
      }
      file.commit();
      return out.digest();
    }
  }

  private <T> HttpResponse<T> send(String url, HttpResponse.BodyHandler<T> handler) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Accept", "application/json").GET().build();
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw new PatchSourceException("could not reach Gerrit at " + url + ": " + e
          + "; check gerrit_url in refit.yaml and the network", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PatchSourceException("interrupted while calling Gerrit at " + url, e);
    }
  }

  private static void expectOk(int status, String url, byte[] body) {
    if (status != 200) {
      throw new PatchSourceException("Gerrit answered HTTP " + status + " for " + url + ": "
          + firstLine(body));
    }
  }

  private static String firstLine(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    s = nl < 0 ? s : s.substring(0, nl);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
