package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.KollaFamily;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit demo} end to end: the sample family, the sample settings from examples/demo, the
 * rewritten env file and the second, unchanged run. The configured local registry address is a
 * port this test holds, so the demo must fall back to a free port and still name the held one.
 */
class DemoCommandTest {
  private static final List<String> PATCHED = List.of("nova-api", "nova-compute", "nova-conductor",
      "nova-scheduler", "neutron-server", "neutron-openvswitch-agent", "ceph-daemon");
  private static final String SITE = "usr/lib/python3.6/site-packages/";
  private static final Pattern ROW = Pattern.compile("(?m)^([a-z-]+)\\s+(patched|fetched|unchanged|cached|skipped|failed)\\s");

  @Test
  void demo_tenKollaImages_patchedWhereMapped_andSecondRunFindsAllUnchanged(@TempDir Path cache)
      throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + busy.getLocalPort();
      MainTest.Run first = demo(cache, address);

      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      Map<String, String> actions = actions(first.out());
      assertThat(actions.keySet()).containsExactlyInAnyOrderElementsOf(KollaFamily.SERVICES);
      PATCHED.forEach(s -> assertThat(actions.get(s)).as(s).isEqualTo("patched"));
      for (String s : List.of("novajoin-server", "glance-api", "keystone")) {
        assertThat(actions.get(s)).as(s).isEqualTo("fetched");
      }
      assertThat(first.out()).contains("refit: note: " + address + " is in use")
          .contains("skopeo inspect --tls-verify=false docker://" + address
              + "/tripleomaster/centos-binary-nova-api:apex")
          .contains("bin/refit registry serve --root " + cache.resolve("registry") + " --listen " + address);

      assertEnvFileNames(cache.resolve("demo/overcloud-images.yaml"), address);
      assertImages(cache.resolve("registry"));

      List<String> storeBefore = files(cache.resolve("registry"));
      MainTest.Run second = demo(cache, address);

      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
      Map<String, String> again = actions(second.out());
      assertThat(again).hasSize(10);
      assertThat(again.values()).as(second.out()).containsOnly("unchanged");
      assertThat(files(cache.resolve("registry"))).as("nothing pushed").isEqualTo(storeBefore);
      assertEnvFileNames(cache.resolve("demo/overcloud-images.yaml"), address);
    }
  }

  @Test
  void demo_badAddress_isUsageErrorAndWritesNothing(@TempDir Path tmp) {
    Path cache = tmp.resolve("cache");
    MainTest.Run r = MainTest.run("demo", "--cache-dir", cache.toString(), "--address", "0.0.0.0:8787");
    assertThat(r.exitCode()).isEqualTo(dev.refit.error.ExitCode.USAGE.code());
    assertThat(r.err()).contains("wildcard");
    assertThat(cache).doesNotExist();
  }

  private static MainTest.Run demo(Path cache, String address) {
    return MainTest.run("demo", "--cache-dir", cache.toString(), "--address", address,
        "--upstream-port", "0");
  }

  private static Map<String, String> actions(String out) {
    Map<String, String> actions = new HashMap<>();
    Matcher m = ROW.matcher(out);
    while (m.find()) {
      actions.put(m.group(1), m.group(2));
    }
    return actions;
  }

  /** Patched images at :apex, the rest at their mirror tag, all on the configured address only. */
  private static void assertEnvFileNames(Path env, String address) throws IOException {
    String text = Files.readString(env, StandardCharsets.UTF_8);
    for (String s : KollaFamily.SERVICES) {
      String tag = PATCHED.contains(s) ? ":apex" : ":current-tripleo-rdo";
      assertThat(text).contains(": " + address + "/tripleomaster/centos-binary-" + s + tag + "\n");
    }
    assertThat(text).contains("ContainerCephDaemonImage: " + address)
        .contains("ContainerNovajoinImage: " + address + "/tripleomaster/centos-binary-novajoin-server:current-tripleo-rdo");
    Matcher hosts = Pattern.compile("(127\\.0\\.0\\.1:[0-9]+|docker\\.io)/").matcher(text);
    while (hosts.find()) {
      assertThat(hosts.group(1)).as("every reference names the configured address").isEqualTo(address);
    }
  }

  private static void assertImages(Path root) throws IOException {
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    Map<String, Manifest> upstream = new HashMap<>();
    for (String s : KollaFamily.SERVICES) {
      Manifest m = manifest(store, s, KollaFamily.TAG);
      upstream.put(s, m);
      String user = config(store, m).config().user();
      assertThat(user).as(s + " runs as its kolla user").isEqualTo(KollaFamily.user(s)).isNotEqualTo("root");
    }
    // Shared layers: base everywhere, openstack-base in the nine OpenStack images, nova-base in nova's four.
    Digest base = upstream.get("keystone").layers().get(0).digest();
    Digest openstack = upstream.get("keystone").layers().get(1).digest();
    Digest novaBase = upstream.get("nova-api").layers().get(2).digest();
    for (String s : KollaFamily.SERVICES) {
      assertThat(upstream.get(s).layers().get(0).digest()).as(s).isEqualTo(base);
      if (!s.equals("ceph-daemon")) {
        assertThat(upstream.get(s).layers().get(1).digest()).as(s).isEqualTo(openstack);
      }
      if (s.startsWith("nova-")) {
        assertThat(upstream.get(s).layers().get(2).digest()).as(s).isEqualTo(novaBase);
      }
    }
    assertThat(upstream.get("ceph-daemon").layers().get(1).digest()).isNotEqualTo(openstack);

    Map<String, TarArchiveEntry> novaLayer = entries(store, upstream.get("nova-api").layers().get(2));
    assertThat(novaLayer.get("var/lib/nova/").getLongUserId()).isEqualTo(42436);
    TarArchiveEntry code = novaLayer.get(SITE + "nova/api/openstack/compute/servers.py");
    assertThat(code.getLongUserId()).isZero();
    assertThat(code.getMode() & 07777).isEqualTo(0644);

    assertThat(store.tags("tripleomaster/centos-binary-novajoin-server")).doesNotContain("apex");
    assertThat(store.tags("tripleomaster/centos-binary-glance-api")).doesNotContain("apex");

    Manifest novaApex = manifest(store, "nova-api", "apex");
    assertThat(novaApex.layers().subList(0, 4)).isEqualTo(upstream.get("nova-api").layers());
    Descriptor delta = novaApex.layers().get(novaApex.layers().size() - 1);
    Map<String, TarArchiveEntry> patched = entries(store, delta);
    TarArchiveEntry servers = patched.get(SITE + "nova/api/openstack/compute/servers.py");
    assertThat(servers.getLongUserId()).isZero();
    assertThat(servers.getMode() & 07777).isEqualTo(0644);
    assertThat(read(store, delta, SITE + "nova/api/openstack/compute/servers.py"))
        .contains("max_count = int(server_dict.get('max_count', min_count))");
    assertThat(config(store, novaApex).config().user()).isEqualTo("nova");

    Manifest cephApex = manifest(store, "ceph-daemon", "apex");
    Descriptor cephDelta = cephApex.layers().get(cephApex.layers().size() - 1);
    String laid = read(store, cephDelta, SITE + "ceph_volume/util/disk.py");
    try (InputStream example = DemoCommandTest.class.getClassLoader().getResourceAsStream(
        "refit-examples/demo/ceph/install/" + SITE + "ceph_volume/util/disk.py")) {
      assertThat(laid).as("the ceph install/ tree was laid").isEqualTo(
          new String(example.readAllBytes(), StandardCharsets.UTF_8)).contains("/dev/ram");
    }
  }

  private static Manifest manifest(FsStore store, String service, String tag) {
    return Manifest.parse(store.get(KollaFamily.NAMESPACE + "/" + KollaFamily.PREFIX + service, tag)
        .orElseThrow(() -> new AssertionError(service + ":" + tag + " is not in the store")).bytes());
  }

  private static ImageConfig config(FsStore store, Manifest m) throws IOException {
    return ImageConfig.parse(Files.readAllBytes(store.stat(m.config().digest()).orElseThrow().path()));
  }

  private static Map<String, TarArchiveEntry> entries(FsStore store, Descriptor layer) throws IOException {
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (TarArchiveInputStream tar = tar(store, layer)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }

  private static String read(FsStore store, Descriptor layer, String path) throws IOException {
    try (TarArchiveInputStream tar = tar(store, layer)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(path)) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(path + " is not in layer " + layer.digest());
  }

  private static TarArchiveInputStream tar(FsStore store, Descriptor layer) throws IOException {
    Path blob = store.stat(layer.digest()).orElseThrow().path();
    return new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(blob)));
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> !p.endsWith(".lock")).sorted().toList();
    }
  }
}
