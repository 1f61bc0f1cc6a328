package dev.refit.pipeline.demo;

import dev.refit.pipeline.demo.SampleImage.Entry;
import dev.refit.pipeline.demo.SampleImage.Layer;
import dev.refit.pipeline.demo.SampleImage.WrittenLayer;
import dev.refit.registry.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample family {@code refit demo} serves as its upstream: ten small kolla-shaped service
 * images stacked the kolla way, base → openstack-base → nova-base / neutron-base → service, with
 * each shared layer written once so every image that uses it has the same layer digest. Python
 * code is root-owned 0644 under {@code usr/lib/python3.6/site-packages}; state directories belong
 * to the service's kolla user, and every image runs as that non-root user. Generated offline and
 * reproducibly. Blocking.
 */
public final class KollaFamily {
  /** Upstream naming, as refit.yaml's defaults derive it for os_version master. */
  public static final String NAMESPACE = DemoScenario.NAMESPACE;
  public static final String PREFIX = DemoScenario.PREFIX;
  public static final String TAG = DemoScenario.TAG;

  /** The services, in report order. */
  public static final List<String> SERVICES = List.of("nova-api", "nova-compute", "nova-conductor",
      "nova-scheduler", "novajoin-server", "neutron-server", "neutron-openvswitch-agent",
      "glance-api", "keystone", "ceph-daemon");

  static final String SITE = "usr/lib/python3.6/site-packages/";

  /** kolla's fixed uids (kolla/common/config.py); ceph's is the one Ceph packages use. */
  static final int NOVA = 42436;
  static final int NEUTRON = 42435;
  static final int GLANCE = 42415;
  static final int KEYSTONE = 42425;
  static final int CEPH = 167;

  private KollaFamily() {}

  /** Writes every image into {@code layout} under its repository; returns service → repository. */
  public static Map<String, String> write(OciLayout layout) throws IOException {
    Path blobs = layout.root().resolve(OciLayout.BLOBS_DIR);
    WrittenLayer base = SampleImage.writeLayer(blobs, KollaLayers.base());
    WrittenLayer openstack = SampleImage.writeLayer(blobs, KollaLayers.openstackBase());
    WrittenLayer nova = SampleImage.writeLayer(blobs, KollaLayers.novaBase());
    WrittenLayer neutron = SampleImage.writeLayer(blobs, KollaLayers.neutronBase());

    Map<String, List<WrittenLayer>> stacks = new LinkedHashMap<>();
    for (String s : List.of("nova-api", "nova-compute", "nova-conductor", "nova-scheduler")) {
      stacks.put(s, List.of(base, openstack, nova, service(blobs, s, "nova", NOVA)));
    }
    stacks.put("novajoin-server", List.of(base, openstack,
        SampleImage.writeLayer(blobs, KollaLayers.novajoin())));
    for (String s : List.of("neutron-server", "neutron-openvswitch-agent")) {
      stacks.put(s, List.of(base, openstack, neutron, service(blobs, s, "neutron", NEUTRON)));
    }
    stacks.put("glance-api", List.of(base, openstack,
        SampleImage.writeLayer(blobs, KollaLayers.glance())));
    stacks.put("keystone", List.of(base, openstack,
        SampleImage.writeLayer(blobs, KollaLayers.keystone())));
    stacks.put("ceph-daemon", List.of(base, SampleImage.writeLayer(blobs, KollaLayers.ceph())));

    Map<String, String> repositories = new LinkedHashMap<>();
    for (Map.Entry<String, List<WrittenLayer>> s : stacks.entrySet()) {
      SampleImage.Written image = SampleImage.writeImage(blobs, s.getValue(), new SampleImage.Settings(
          DemoScenario.CREATED, user(s.getKey()),
          Map.of("build-date", DemoScenario.CREATED.substring(0, 10), "name", PREFIX + s.getKey(),
              "kolla_version", "8.0.0"),
          List.of("kolla_start")));
      String repository = NAMESPACE + "/" + PREFIX + s.getKey();
      layout.addManifest(image.manifest().descriptor(), repository);
      repositories.put(s.getKey(), repository);
    }
    return repositories;
  }

  /** The user a service's image runs as (its config's User). */
  public static String user(String service) {
    if (service.startsWith("neutron")) {
      return "neutron";
    }
    if (service.startsWith("nova")) {
      return "nova";
    }
    return service.substring(0, service.indexOf('-') < 0 ? service.length() : service.indexOf('-'));
  }

  /** The per-service layer: its command, and for nova-compute the instances directory. */
  private static WrittenLayer service(Path blobs, String service, String project, int uid)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.executable("usr/bin/" + service, "#!/usr/bin/python3\n"
        + "import sys\nfrom " + project + ".cmd." + service.substring(project.length() + 1)
            .replace('-', '_') + " import main\nsys.exit(main())\n"));
    entries.add(Entry.file("etc/kolla/" + service + "/config.json",
        "{\"command\": \"" + service + "\", \"config_files\": []}\n"));
    if (service.equals("nova-compute")) {
      entries.add(Entry.dir("var/lib/nova/instances", 0755, uid, uid));
    }
    return SampleImage.writeLayer(blobs, Layer.ofEntries(entries));
  }
}
