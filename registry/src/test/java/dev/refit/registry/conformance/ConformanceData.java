package dev.refit.registry.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The content the OCI distribution-spec conformance workflows push and read back: five unique
 * image configs and manifests (one per workflow slot, as the suite numbers them 0..4), a small
 * gzip tar layer, the empty JSON blob, reference blobs and artifacts whose {@code subject} points
 * at manifest 4 (and one at the never-pushed manifest 3). Built fresh per test class, so digests
 * differ between runs like the suite's random config authors. Immutable after construction;
 * thread-safe.
 *
 * <p>Every descriptor carries {@code "data"} and {@code "newUnspecifiedField"} (null unless set),
 * because the suite's wire JSON does: a registry must store and serve manifests with fields it
 * does not know (image-spec descriptor.md, "extensibility").
 */
final class ConformanceData {
  static final String ARTIFACT_TYPE_A = "application/vnd.refit.conformance.alpha";
  static final String ARTIFACT_TYPE_B = "application/vnd.refit.conformance.beta";
  static final String ARTIFACT_TYPE_INDEX = "application/vnd.refit.conformance.bundle";
  static final String ANNOTATION_KEY = "org.opencontainers.conformance.test";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** image-spec manifest.md: the empty descriptor's digest is fixed. */
  static final String EMPTY_JSON_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  /** A reference that is not a valid tag (tags may not start with '.'), so it never exists. */
  static final String NONEXISTENT_MANIFEST = ".INVALID_MANIFEST_NAME";
  static final byte[] INVALID_MANIFEST = "blablabla".getBytes(StandardCharsets.US_ASCII);
  static final String TAG = "tagtest0";
  static final String EMPTY_LAYER_TAG = "emptylayer";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Bytes plus their sha256 digest, as the suite pairs them. */
  record Blob(byte[] content, String digest) {
    static Blob of(byte[] content) {
      return new Blob(content, sha256(content));
    }

    static Blob of(String text) {
      return of(text.getBytes(StandardCharsets.UTF_8));
    }

    int length() {
      return content.length;
    }
  }

  /** A blob split in two for chunked uploads, with each chunk's inclusive byte range. */
  record Chunked(Blob blob, byte[] first, byte[] second, String firstRange, String secondRange) {
    static Chunked of(Blob blob) {
      int split = blob.length() / 2 + 1;
      byte[] first = java.util.Arrays.copyOfRange(blob.content(), 0, split);
      byte[] second = java.util.Arrays.copyOfRange(blob.content(), split, blob.length());
      return new Chunked(blob, first, second, "0-" + (split - 1), split + "-" + (blob.length() - 1));
    }
  }

  final List<Blob> configs = new ArrayList<>();
  final List<Blob> manifests = new ArrayList<>();
  final Blob layer;
  final Blob emptyJson = Blob.of("{}");
  final Blob blobA;
  final Blob refBlobA = Blob.of("Peanut butter on a conformance bagel");
  final Blob refBlobB = Blob.of("Strawberry jam on a conformance croissant");
  final String dummyDigest = sha256("hello world".getBytes(StandardCharsets.UTF_8));
  final Blob emptyLayerManifest;
  final Blob configTypeManifest;
  final Blob artifactTypeManifest;
  final Blob refsAConfig;
  final Blob refsBConfig;
  final Blob refsALayer;
  final Blob refsBLayer;
  final Blob refsCLayer;
  final Blob refsIndex;
  /** Referrer digest to the one annotation value its manifest carries. */
  final Map<String, String> annotationValues = new LinkedHashMap<>();
  private final Random random;

  private ConformanceData(long seed) {
    this.random = new Random(seed);
    SecureRandom authors = new SecureRandom();
    for (int i = 0; i < 5; i++) {
      configs.add(Blob.of(json(config("conformance-" + HexFormat.of().formatHex(authors.generateSeed(8))))));
    }
    layer = Blob.of(gzipTar("test.txt", "refit conformance layer\n"));
    for (int i = 0; i < 5; i++) {
      ObjectNode m = manifest(null, configWithData(configs.get(i)), List.of(descriptor(LAYER_GZIP, layer)));
      manifests.add(Blob.of(json(m)));
    }
    blobA = randomBlob(42);
    emptyLayerManifest = Blob.of(json(manifest(null, configWithData(configs.get(1)), List.of())));
    configTypeManifest = Blob.of(json(manifest(null, descriptor(ARTIFACT_TYPE_A, refBlobA),
        List.of(descriptor(LAYER_GZIP, layer)))));
    artifactTypeManifest = Blob.of(json(manifest(ARTIFACT_TYPE_A, descriptor(OCI_EMPTY, emptyJson),
        List.of(descriptor(LAYER_GZIP, layer)))));

    ObjectNode subject4 = descriptor(OCI_MANIFEST, manifests.get(4));
    refsAConfig = referrer(null, descriptor(ARTIFACT_TYPE_A, refBlobA),
        descriptor(OCI_EMPTY, emptyJson), subject4, "test config a");
    refsBConfig = referrer(null, descriptor(ARTIFACT_TYPE_B, refBlobB),
        descriptor(OCI_EMPTY, emptyJson), subject4, "test config b");
    refsALayer = referrer(ARTIFACT_TYPE_A, descriptor(OCI_EMPTY, emptyJson),
        descriptor(ARTIFACT_TYPE_A, refBlobA), subject4, "test layer a");
    refsBLayer = referrer(ARTIFACT_TYPE_B, descriptor(OCI_EMPTY, emptyJson),
        descriptor(ARTIFACT_TYPE_B, refBlobB), subject4, "test layer b");
    // Same as B's layer artifact, but its subject (manifest 3) is never pushed in discovery.
    refsCLayer = referrer(ARTIFACT_TYPE_B, descriptor(OCI_EMPTY, emptyJson),
        descriptor(ARTIFACT_TYPE_B, refBlobB), descriptor(OCI_MANIFEST, manifests.get(3)), null);

    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("artifactType", ARTIFACT_TYPE_INDEX);
    index.putArray("manifests")
        .add(descriptor(OCI_MANIFEST, refsAConfig))
        .add(descriptor(OCI_MANIFEST, refsALayer));
    index.set("subject", subject4);
    index.putObject("annotations").put(ANNOTATION_KEY, "test index");
    refsIndex = Blob.of(json(index));
    annotationValues.put(refsIndex.digest(), "test index");
  }

  static ConformanceData generate() {
    return new ConformanceData(new SecureRandom().nextLong());
  }

  /** A reproducible-per-instance random blob of {@code size} bytes. */
  Blob randomBlob(int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return Blob.of(bytes);
  }

  /** An index (optionally typed) listing {@code children}, each of {@code childType}. */
  static Blob index(String artifactType, String childType, List<Blob> children) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    if (artifactType != null) {
      index.put("artifactType", artifactType);
    }
    ArrayNode list = index.putArray("manifests");
    children.forEach(c -> list.add(descriptor(childType, c)));
    index.putObject("annotations").put(ANNOTATION_KEY, "test index");
    return Blob.of(json(index));
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private Blob referrer(String artifactType, ObjectNode config, ObjectNode layer, ObjectNode subject,
      String annotation) {
    ObjectNode m = manifest(artifactType, config, List.of(layer));
    m.set("subject", subject);
    if (annotation != null) {
      m.putObject("annotations").put(ANNOTATION_KEY, annotation);
    }
    Blob blob = Blob.of(json(m));
    if (annotation != null) {
      annotationValues.put(blob.digest(), annotation);
    }
    return blob;
  }

  private static ObjectNode config(String author) {
    ObjectNode c = JSON.createObjectNode();
    c.put("author", author);
    c.put("architecture", "amd64");
    c.put("os", "linux");
    ObjectNode rootfs = c.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    return c;
  }

  private static ObjectNode manifest(String artifactType, ObjectNode config, List<ObjectNode> layers) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", OCI_MANIFEST);
    if (artifactType != null) {
      m.put("artifactType", artifactType);
    }
    m.set("config", config);
    ArrayNode list = m.putArray("layers");
    layers.forEach(list::add);
    return m;
  }

  static ObjectNode descriptor(String mediaType, Blob blob) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", blob.digest());
    d.put("size", blob.length());
    d.putNull("data");
    d.putNull("newUnspecifiedField");
    return d;
  }

  /** Config descriptor with its content embedded ({@code data}) and an unknown field set. */
  private static ObjectNode configWithData(Blob config) {
    ObjectNode d = descriptor(OCI_CONFIG, config);
    d.put("data", config.content());
    d.put("newUnspecifiedField", "hello world".getBytes(StandardCharsets.UTF_8));
    return d;
  }

  private static byte[] json(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise test JSON", e);
    }
  }

  private static byte[] gzipTar(String fileName, String text) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      TarArchiveEntry entry = new TarArchiveEntry(fileName);
      entry.setSize(content.length);
      entry.setModTime(0);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the test layer", e);
    }
    return out.toByteArray();
  }
}
