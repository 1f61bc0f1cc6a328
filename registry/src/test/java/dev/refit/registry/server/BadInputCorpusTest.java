package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken requests: each must fail with the spec's error code and status, and leave
 * the store exactly as it was (no new file, no changed file; a cancelled upload may disappear).
 */
class BadInputCorpusTest {
  private static final long CHUNK_LIMIT = 1024 * 1024;
  private static final byte[] CONFIG = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAYER = "a layer".getBytes(StandardCharsets.UTF_8);

  @TempDir Path work;

  private enum Mode { DEFAULT, READ_ONLY, HTPASSWD }

  /**
   * A request against a registry holding {@code lib/app:v1}. {@code setup} runs before the
   * snapshot (e.g. opens an upload session) and hands its result to {@code request}.
   */
  private record Case(String name, Mode mode, int status, String code,
      Function<Context, String> setup, BiFunction<Context, String, HttpResponse<byte[]>> request) {
    Case(String name, Mode mode, int status, String code,
        Function<Context, HttpResponse<byte[]>> request) {
      this(name, mode, status, code, c -> null, (c, ignored) -> request.apply(c));
    }
  }

  private record Context(RegistryHttp http, InProcessRegistry registry) {
    /** A fresh upload session holding {@code first} bytes; returns its Location. */
    String sessionWith(byte[] first) {
      HttpResponse<byte[]> r = http.send("POST", "/v2/lib/app/blobs/uploads/", new byte[0]);
      String location = header(r, "Location");
      if (first.length > 0) {
        http.send("PATCH", location, first, "Content-Range", "0-" + (first.length - 1));
      }
      return location;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> putManifest(Context c, String ref, byte[] body, String type) {
    return c.http().send("PUT", "/v2/lib/app/manifests/" + ref, body, "Content-Type", type);
  }

  private static byte[] manifestWithLayer(JsonObject layer) {
    return new JsonObject().put("schemaVersion", 2).put("mediaType", MediaType.OCI_MANIFEST)
        .put("config", RegistryHttp.descriptor(MediaType.OCI_CONFIG, CONFIG))
        .put("layers", new JsonArray().add(layer)).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static List<Case> cases() {
    Digest missing = Digest.sha256(utf8("never pushed"));
    Digest layerDigest = Digest.sha256(LAYER);
    String oci = MediaType.OCI_MANIFEST;
    List<Case> cases = new ArrayList<>();
    // --- malformed manifests
    cases.add(new Case("manifest is not JSON", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "bad", utf8("{not json"), oci)));
    cases.add(new Case("manifest is a JSON array", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "bad", utf8("[]"), oci)));
    cases.add(new Case("manifest schemaVersion 1", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "bad", utf8("{\"schemaVersion\":1,\"name\":\"x\"}"), oci)));
    cases.add(new Case("manifest without layers", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "bad", utf8("{\"schemaVersion\":2,\"mediaType\":\"" + oci
            + "\",\"config\":" + RegistryHttp.descriptor(MediaType.OCI_CONFIG, CONFIG).encode() + "}"), oci)));
    cases.add(new Case("manifest layer digest malformed", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "bad", manifestWithLayer(new JsonObject().put("mediaType", MediaType.OCI_LAYER)
            .put("digest", "sha256:zz").put("size", 1)), oci)));
    cases.add(new Case("manifest mediaType differs from Content-Type", Mode.DEFAULT, 400,
        "MANIFEST_INVALID", c -> putManifest(c, "bad", manifestWithLayer(
            RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)), MediaType.DOCKER_MANIFEST)));
    cases.add(new Case("manifest references unknown blob", Mode.DEFAULT, 400, "MANIFEST_BLOB_UNKNOWN",
        c -> putManifest(c, "bad", manifestWithLayer(new JsonObject().put("mediaType", MediaType.OCI_LAYER)
            .put("digest", missing.toString()).put("size", 3)), oci)));
    cases.add(new Case("manifest PUT by wrong digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> putManifest(c, missing.toString(),
            manifestWithLayer(RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)), oci)));
    cases.add(new Case("manifest tag invalid", Mode.DEFAULT, 400, "MANIFEST_INVALID",
        c -> putManifest(c, "-bad", manifestWithLayer(RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)), oci)));
    cases.add(new Case("manifest over size limit", Mode.DEFAULT, 413, "SIZE_INVALID",
        c -> putManifest(c, "big", new byte[(int) RegistryConfig.DEFAULT_MAX_MANIFEST_BYTES + 10], oci)));
    cases.add(new Case("manifest streamed over size limit", Mode.DEFAULT, 413, "SIZE_INVALID",
        c -> c.http().send("PUT", "/v2/lib/app/manifests/big", BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(new byte[(int) RegistryConfig.DEFAULT_MAX_MANIFEST_BYTES + 10])),
            "Content-Type", oci)));
    // --- digests
    cases.add(new Case("monolithic push with wrong digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=" + missing, utf8("payload"))));
    cases.add(new Case("session closed with wrong digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.sessionWith(utf8("part")),
        (c, location) -> c.http().send("PUT", location + "?digest=" + missing, utf8("rest"))));
    cases.add(new Case("md5 digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=md5:d41d8cd98f00b204e9800998ecf8427e",
            utf8("payload"))));
    cases.add(new Case("short sha256 digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=sha256:abc", utf8("payload"))));
    cases.add(new Case("uppercase hex digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest="
            + layerDigest.toString().toUpperCase(java.util.Locale.ROOT), LAYER)));
    cases.add(new Case("mount of malformed digest", Mode.DEFAULT, 400, "DIGEST_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?mount=sha256:xyz&from=lib/app", new byte[0])));
    // --- repository names and paths
    cases.add(new Case("name with ..", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("POST", "/v2/lib/../../etc/blobs/uploads/?digest=" + layerDigest, LAYER)));
    cases.add(new Case("absolute name", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("PUT", "/v2//etc/passwd/manifests/v1",
            manifestWithLayer(RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)), "Content-Type", oci)));
    cases.add(new Case("encoded slash in name", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("POST", "/v2/lib%2F..%2F..%2Fetc/blobs/uploads/?digest=" + layerDigest, LAYER)));
    cases.add(new Case("encoded dot-dot in name", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("POST", "/v2/lib/%2e%2e/x/blobs/uploads/?digest=" + layerDigest, LAYER)));
    cases.add(new Case("uppercase name", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("POST", "/v2/Lib/App/blobs/uploads/?digest=" + layerDigest, LAYER)));
    cases.add(new Case("mount from invalid name", Mode.DEFAULT, 400, "NAME_INVALID",
        c -> c.http().send("POST", "/v2/lib/app2/blobs/uploads/?mount=" + layerDigest + "&from=../lib/app",
            new byte[0])));
    cases.add(new Case("upload id traversal", Mode.DEFAULT, 404, "BLOB_UPLOAD_UNKNOWN",
        c -> c.http().send("PATCH", "/v2/lib/app/blobs/uploads/..", LAYER)));
    // --- uploads
    cases.add(new Case("chunk over size limit", Mode.DEFAULT, 413, "SIZE_INVALID",
        c -> c.sessionWith(new byte[0]),
        (c, location) -> c.http().send("PATCH", location, new byte[(int) CHUNK_LIMIT + 1])));
    cases.add(new Case("monolithic push over size limit", Mode.DEFAULT, 413, "SIZE_INVALID",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=" + missing,
            BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[(int) CHUNK_LIMIT * 2])))));
    cases.add(new Case("out-of-order chunk", Mode.DEFAULT, 416, "RANGE_INVALID",
        c -> c.sessionWith(utf8("0123")),
        (c, location) -> c.http().send("PATCH", location, utf8("89"), "Content-Range", "8-9")));
    cases.add(new Case("chunk range disagrees with length", Mode.DEFAULT, 416, "RANGE_INVALID",
        c -> c.sessionWith(utf8("0123")),
        (c, location) -> c.http().send("PATCH", location, utf8("45"), "Content-Range", "4-9")));
    cases.add(new Case("close unknown upload", Mode.DEFAULT, 404, "BLOB_UPLOAD_UNKNOWN",
        c -> c.http().send("PUT", "/v2/lib/app/blobs/uploads/00000000-0000-0000-0000-000000000000?digest="
            + layerDigest, LAYER)));
    // --- read-only
    cases.add(new Case("delete manifest in read-only mode", Mode.READ_ONLY, 405, "UNSUPPORTED",
        c -> c.http().delete("/v2/lib/app/manifests/v1")));
    cases.add(new Case("delete blob in read-only mode", Mode.READ_ONLY, 405, "UNSUPPORTED",
        c -> c.http().delete("/v2/lib/app/blobs/" + layerDigest)));
    cases.add(new Case("push in read-only mode", Mode.READ_ONLY, 405, "UNSUPPORTED",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=" + Digest.sha256(utf8("new")),
            utf8("new"))));
    // --- authentication
    cases.add(new Case("unauthenticated blob push", Mode.HTPASSWD, 401, "UNAUTHORIZED",
        c -> c.http().send("POST", "/v2/lib/app/blobs/uploads/?digest=" + Digest.sha256(utf8("new")),
            utf8("new"))));
    cases.add(new Case("unauthenticated manifest delete", Mode.HTPASSWD, 401, "UNAUTHORIZED",
        c -> c.http().delete("/v2/lib/app/manifests/v1")));
    cases.add(new Case("unauthenticated manifest push", Mode.HTPASSWD, 401, "UNAUTHORIZED",
        c -> putManifest(c, "v2", manifestWithLayer(RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)), oci)));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> badInput_failsWithSpecCodeAndWritesNothing() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private void run(Case c) throws Exception {
    Path root = Files.createTempDirectory(work, "store");
    seed(root);
    RegistryConfig config = RegistryConfig.defaults(root).withMaxChunkBytes(CHUNK_LIMIT);
    if (c.mode() == Mode.READ_ONLY) {
      config = config.withReadOnly(true);
    }
    if (c.mode() == Mode.HTPASSWD) {
      Path file = work.resolve("htpasswd");
      Files.writeString(file, "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "pw".toCharArray()));
      config = config.withHtpasswd(file);
    }
    try (InProcessRegistry registry = InProcessRegistry.start(config)) {
      Context context = new Context(new RegistryHttp(registry.baseUrl()), registry);
      String state = c.setup().apply(context);
      Map<String, String> before = snapshot(root);

      HttpResponse<byte[]> response = c.request().apply(context, state);

      assertError(response, c.status(), c.code());
      Map<String, String> after = snapshot(root);
      Map<String, String> added = new TreeMap<>(after);
      added.keySet().removeAll(before.keySet());
      Map<String, String> changed = new TreeMap<>();
      after.forEach((path, hash) -> {
        if (before.containsKey(path) && !before.get(path).equals(hash)) {
          changed.put(path, hash);
        }
      });
      assertThat(added).as("files created by: %s", c.name()).isEmpty();
      assertThat(changed).as("files changed by: %s", c.name()).isEmpty();
    }
  }

  private static void seed(Path root) {
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());
      http.pushBlob("lib/app", CONFIG);
      http.pushBlob("lib/app", LAYER);
      http.pushManifest("lib/app", "v1", manifestWithLayer(RegistryHttp.descriptor(MediaType.OCI_LAYER, LAYER)),
          MediaType.OCI_MANIFEST);
    }
  }

  /** Relative path to sha256 of every regular file; directories (possibly empty) are ignored. */
  private static Map<String, String> snapshot(Path root) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        try {
          files.put(root.relativize(p).toString().replace('\\', '/'),
              Digest.sha256(Files.readAllBytes(p)).toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
