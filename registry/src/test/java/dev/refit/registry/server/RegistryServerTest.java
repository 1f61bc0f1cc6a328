package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-wide behaviour: auth, read-only mode, TLS, idle timeout and upload expiry. */
class RegistryServerTest {
  @TempDir Path root;
  @TempDir Path work;

  private Path htpasswd(BCrypt.Version version) throws Exception {
    String hash = BCrypt.with(version).hashToString(4, "s3cret".toCharArray());
    Path file = work.resolve("htpasswd");
    Files.writeString(file, "# users\nalice:" + hash + "\n");
    return file;
  }

  @Test
  void htpasswd_unauthenticatedRequests_get401WithChallenge() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(root).withHtpasswd(htpasswd(BCrypt.Version.VERSION_2Y)))) {
      RegistryHttp anonymous = new RegistryHttp(registry.baseUrl());

      HttpResponse<byte[]> ping = anonymous.get("/v2/");
      assertError(ping, 401, "UNAUTHORIZED");
      assertThat(header(ping, "WWW-Authenticate")).isEqualTo("Basic realm=\"refit\"");
      assertError(anonymous.send("POST", "/v2/lib/app/blobs/uploads/", new byte[0]), 401, "UNAUTHORIZED");
      assertError(anonymous.withBasicAuth("alice", "wrong").get("/v2/"), 401, "UNAUTHORIZED");
      assertError(anonymous.withBasicAuth("bob", "s3cret").get("/v2/"), 401, "UNAUTHORIZED");
    }
  }

  @Test
  void expectContinue_rejectedPush_isAnsweredWithoutWaitingForTheBody() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(
            RegistryConfig.defaults(root).withHtpasswd(htpasswd(BCrypt.Version.VERSION_2Y)));
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5000);
      socket.setSoTimeout(10_000);
      // Headers only: the body is withheld until the server says 100, which it must not.
      socket.getOutputStream().write(("POST /v2/lib/app/blobs/uploads/ HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(response).startsWith("HTTP/1.1 401").doesNotContain("100 Continue")
          .contains("\"UNAUTHORIZED\"");
    }
  }

  @Test
  void expectContinue_acceptedPush_gets100ThenStoresBody() throws Exception {
    byte[] content = "continued".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(content);
    try (InProcessRegistry registry = InProcessRegistry.start(root); Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /v2/lib/app/blobs/uploads/?digest=" + digest
          + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + content.length
          + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] interim = new byte["HTTP/1.1 100 Continue".length()];
      int n = 0;
      while (n < interim.length) {
        int r = in.read(interim, n, interim.length - n);
        assertThat(r).as("interim response").isPositive();
        n += r;
      }
      assertThat(new String(interim, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue");

      socket.getOutputStream().write(content);
      String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(rest).contains("HTTP/1.1 201");
      assertThat(new RegistryHttp(registry.baseUrl()).get("/v2/lib/app/blobs/" + digest).body())
          .isEqualTo(content);
    }
  }

  @Test
  void htpasswd_validCredentials_canPushAndPull() throws Exception {
    for (BCrypt.Version version :
        new BCrypt.Version[] {BCrypt.Version.VERSION_2Y, BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B}) {
      Path store = Files.createTempDirectory(work, "store");
      try (InProcessRegistry registry = InProcessRegistry.start(
          RegistryConfig.defaults(store).withHtpasswd(htpasswd(version)))) {
        RegistryHttp alice = new RegistryHttp(registry.baseUrl()).withBasicAuth("alice", "s3cret");

        assertThat(alice.get("/v2/").statusCode()).isEqualTo(200);
        byte[] manifest = alice.pushSmallImage("lib/app", "auth");
        alice.pushManifest("lib/app", "v1", manifest, MediaType.OCI_MANIFEST);
        assertThat(alice.get("/v2/lib/app/manifests/v1").body()).isEqualTo(manifest);
      }
    }
  }

  @Test
  void readOnly_everyWriteIsRefusedAndReadsWork() {
    byte[] manifest;
    try (InProcessRegistry writable = InProcessRegistry.start(root)) {
      RegistryHttp http = new RegistryHttp(writable.baseUrl());
      manifest = http.pushSmallImage("lib/app", "ro");
      http.pushManifest("lib/app", "v1", manifest, MediaType.OCI_MANIFEST);
    }
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(root).withReadOnly(true))) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());
      Digest digest = Digest.sha256(manifest);

      assertError(http.send("POST", "/v2/lib/app/blobs/uploads/", new byte[0]), 405, "UNSUPPORTED");
      assertError(http.send("PUT", "/v2/lib/app/manifests/v2", manifest,
          "Content-Type", MediaType.OCI_MANIFEST), 405, "UNSUPPORTED");
      assertError(http.send("PATCH", "/v2/lib/app/blobs/uploads/x", new byte[] {1}), 405, "UNSUPPORTED");
      HttpResponse<byte[]> delete = http.delete("/v2/lib/app/manifests/" + digest);
      assertError(delete, 405, "UNSUPPORTED");
      assertThat(RegistryHttp.header(delete, "Allow")).isEqualTo("GET, HEAD");
      assertThat(http.get("/v2/lib/app/manifests/v1").body()).isEqualTo(manifest);
      assertThat(http.get("/v2/lib/app/tags/list").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tls_servesHttpsFromPemCertificateAndKey() throws Exception {
    Path cert = work.resolve("cert.pem");
    Path key = work.resolve("key.pem");
    assumeThat(opensslSelfSigned(cert, key)).as("openssl available to make a test certificate").isTrue();
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(root).withTls(cert, key))) {
      assertThat(registry.baseUrl()).startsWith("https://");
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert))
          .version(HttpClient.Version.HTTP_1_1).build();

      HttpResponse<byte[]> r = new RegistryHttp(registry.baseUrl(), client).get("/v2/");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    }
  }

  @Test
  void requestTimeout_closesStalledConnection() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(root).withRequestTimeout(Duration.ofMillis(300)));
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      long started = System.nanoTime();

      InputStream in = socket.getInputStream();
      int read;
      try {
        read = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("stalled connection was not closed within 10 s", e);
      } catch (java.net.SocketException reset) {
        read = -1;
      }

      assertThat(read).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void abandonedUpload_isExpiredBySweeper() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(RegistryConfig.defaults(root)
        .withStoreOptions(StoreOptions.defaults().withUploadExpiry(Duration.ofMillis(100))))) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());
      String location = header(http.send("POST", "/v2/lib/app/blobs/uploads/", new byte[0]), "Location");

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int status = http.get(location).statusCode();
      while (status != 404 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        status = http.get(location).statusCode();
      }

      assertThat(status).as("upload status after expiry").isEqualTo(404);
    }
  }

  private static boolean opensslSelfSigned(Path cert, Path key) throws Exception {
    try {
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
          "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
          "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0 && Files.exists(cert) && Files.exists(key);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
