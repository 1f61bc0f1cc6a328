package dev.refit.pipeline.rebuild;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Test kit: pushes a small kolla-shaped base image with real files (gzip tar layers written with
 * commons-compress) into a registry, and reads layers back as tar entries. Blocking; one per test.
 */
final class TestBase implements AutoCloseable {

  /** One tar entry as written or read: directories have null content. */
  record Entry(String name, int mode, int uid, int gid, long mtime, byte[] content) {
    String text() {
      return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }
  }

  static final String CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05Z\","
          + "\"config\":{\"User\":\"nova\",\"Env\":[\"PATH=/usr/bin:/bin\",\"KOLLA_SERVICE=nova-api\"],"
          + "\"Entrypoint\":[\"dumb-init\",\"--\"],\"Cmd\":[\"kolla_start\"],\"WorkingDir\":\"/var/lib/nova\","
          + "\"Labels\":{\"name\":\"nova-api\",\"build-date\":\"20240102\"}},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[%s]},"
          + "\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"base\"},"
          + "{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"nova\"}]}";

  private final InProcessRegistry registry;
  private final RegistryClient client;
  private final Path dir;
  private int counter;

  TestBase(InProcessRegistry registry, Path dir) {
    this.registry = registry;
    this.dir = dir;
    this.client = client(registry);
  }

  /** A kit on its own in-process registry under {@code tmp}; {@link #close} stops the registry. */
  static TestBase started(Path tmp) throws IOException {
    return new TestBase(InProcessRegistry.start(tmp.resolve("registry")),
        Files.createDirectories(tmp.resolve("kit")));
  }

  InProcessRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    registry.close();
  }

  static RegistryClient client(InProcessRegistry registry) {
    return RegistryClient.create(
        registry.vertx(),
        registry.hostPort(),
        ClientOptions.defaults().withPlainHttpHosts(Set.of(registry.hostPort())).withDockerConfigDir(null));
  }

  RegistryClient client() {
    return client;
  }

  /** Pushes the two-layer nova-api base to {@code repo:tag}; returns the manifest digest. */
  Digest pushNovaBase(String repo, String tag) throws IOException {
    return pushNovaBase(repo, tag, "amd64");
  }

  /** Pushes an index of the nova-api base for each architecture (linux); returns its digest. */
  Digest pushNovaIndex(String repo, String tag, String... architectures) throws IOException {
    List<Descriptor> children = new java.util.ArrayList<>();
    for (String arch : architectures) {
      Digest d = pushNovaBase(repo, null, arch);
      RawManifest child = manifest(repo, d.toString());
      children.add(new Descriptor(child.mediaType(), d, child.size(),
          dev.refit.registry.oci.Platform.of("linux", arch), null, Map.of()));
    }
    RawManifest index = dev.refit.registry.oci.Index.of(children).toRaw();
    await(() -> client.putManifest(repo, tag, index));
    return index.digest();
  }

  /** Pushes the base for {@code arch} under {@code tag} (or by digest only when null). */
  Digest pushNovaBase(String repo, String tag, String arch) throws IOException {
    return pushNovaBase(repo, tag, arch, true);
  }

  /** As above; {@code gzip} false writes the first layer uncompressed ({@code ...layer.v1.tar}). */
  Digest pushNovaBase(String repo, String tag, String arch, boolean gzip) throws IOException {
    List<Entry> os =
        List.of(
            dirEntry("etc/", 0755, 0, 0),
            file("etc/os-release", 0644, 0, 0, "ID=refit-test\n"),
            dirEntry("usr/", 0755, 0, 0),
            dirEntry("usr/bin/", 0755, 0, 0),
            file("usr/bin/dumb-init", 0755, 0, 0, "#!/bin/sh\nexec \"$@\"\n"));
    List<Entry> nova =
        List.of(
            dirEntry("usr/lib/", 0755, 0, 0),
            dirEntry("usr/lib/python3/", 0755, 0, 0),
            dirEntry("usr/lib/python3/site-packages/", 0755, 0, 0),
            dirEntry("usr/lib/python3/site-packages/nova/", 0755, 0, 0),
            file("usr/lib/python3/site-packages/nova/api.py", 0644, 0, 0, "def api():\n    return 1\n"),
            file("usr/lib/python3/site-packages/nova/old.py", 0644, 0, 0, "OLD = True\n"),
            dirEntry("var/", 0755, 0, 0),
            dirEntry("var/lib/", 0755, 0, 0),
            dirEntry("var/lib/nova/", 0750, 42436, 42436),
            file("var/lib/nova/nova.conf", 0640, 42436, 42436, "[DEFAULT]\n"));
    Layer l1 = layer(os, gzip);
    Layer l2 = layer(nova, true);
    byte[] config =
        String.format(CONFIG, "\"" + l1.diffId + "\",\"" + l2.diffId + "\"")
            .replace("\"amd64\"", "\"" + arch + "\"").getBytes(StandardCharsets.UTF_8);
    Path configFile = Files.write(dir.resolve("config-" + counter++ + ".json"), config);
    Descriptor configDesc = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
    await(() -> client.pushBlob(repo, configDesc, configFile, null));
    await(() -> client.pushBlob(repo, l1.descriptor, l1.file, null));
    await(() -> client.pushBlob(repo, l2.descriptor, l2.file, null));
    RawManifest raw = Manifest.of(configDesc, List.of(l1.descriptor, l2.descriptor)).toRaw();
    await(() -> client.putManifest(repo, tag == null ? raw.digest().toString() : tag, raw));
    return raw.digest();
  }

  /** The entries of layer {@code d} in {@code repo}, in tar order (name → entry). */
  Map<String, Entry> readLayer(String repo, Digest d) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    readLayerEntries(repo, d).forEach(e -> entries.put(e.name(), e));
    return entries;
  }

  /** The entries of layer {@code d} in {@code repo}, in tar order, duplicates kept. */
  List<Entry> readLayerEntries(String repo, Digest d) throws IOException {
    Path file = dir.resolve("pulled-" + counter++ + ".tar.gz");
    await(() -> client.pullBlob(repo, d, file));
    List<Entry> entries = new java.util.ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        byte[] content = e.isDirectory() ? null : tar.readAllBytes();
        entries.add(
            new Entry(e.getName(), e.getMode() & 07777, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                e.getModTime().toInstant().getEpochSecond(), content));
      }
    }
    return entries;
  }

  RawManifest manifest(String repo, String reference) {
    return await(() -> client.getManifest(repo, reference));
  }

  byte[] blob(String repo, Digest d) {
    return await(() -> client.readBlob(repo, d, 1 << 22)).getBytes();
  }

  static Entry dirEntry(String name, int mode, int uid, int gid) {
    return new Entry(name, mode, uid, gid, 1_700_000_000L, null);
  }

  static Entry file(String name, int mode, int uid, int gid, String text) {
    return new Entry(name, mode, uid, gid, 1_700_000_000L, text.getBytes(StandardCharsets.UTF_8));
  }

  private record Layer(Descriptor descriptor, Digest diffId, Path file) {}

  private Layer layer(List<Entry> entries, boolean gzip) throws IOException {
    Path file = dir.resolve("layer-" + counter++ + ".tar.gz");
    MessageDigest compressed = Digest.Algorithm.SHA256.newHasher();
    MessageDigest plain = Digest.Algorithm.SHA256.newHasher();
    try (OutputStream fileOut = new DigestOutputStream(Files.newOutputStream(file), compressed);
        OutputStream gz = gzip ? new GZIPOutputStream(fileOut) : fileOut;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gz, plain))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t = new TarArchiveEntry(e.name());
        t.setMode((e.content() == null ? 040000 : 0100000) | e.mode());
        t.setUserId(e.uid());
        t.setGroupId(e.gid());
        t.setModTime(e.mtime() * 1000);
        if (e.content() != null) {
          t.setSize(e.content().length);
        }
        tar.putArchiveEntry(t);
        if (e.content() != null) {
          tar.write(e.content());
        }
        tar.closeArchiveEntry();
      }
    }
    Digest blob = Digest.of(Digest.Algorithm.SHA256, HexFormat.of().formatHex(compressed.digest()));
    Digest diffId = Digest.of(Digest.Algorithm.SHA256, HexFormat.of().formatHex(plain.digest()));
    return new Layer(Descriptor.of(gzip ? MediaType.OCI_LAYER_GZIP : MediaType.OCI_LAYER, blob,
        Files.size(file)), diffId, file);
  }

  private static <T> T await(java.util.function.Supplier<io.vertx.core.Future<T>> call) {
    return dev.refit.registry.client.Await.result(call.get(), Duration.ofSeconds(60), "test registry call");
  }
}
