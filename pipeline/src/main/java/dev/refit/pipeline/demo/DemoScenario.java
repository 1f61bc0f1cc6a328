package dev.refit.pipeline.demo;

import dev.refit.pipeline.demo.SampleImage.Layer;
import dev.refit.pipeline.demo.SampleImage.WrittenLayer;
import dev.refit.registry.layout.OciLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small TripleO-style scenario: five service images (py3 nova, py2 neutron, and novajoin to
 * show word-boundary mapping), an Apex deploy settings file and two local patches, generated
 * offline and reproducibly. The prepare tests use it as their upstream; {@code refit demo} uses
 * the larger {@link KollaFamily}, and shares the naming constants below. Blocking.
 */
public final class DemoScenario {
  /** Upstream naming, as refit.yaml's defaults derive it for os_version master. */
  public static final String NAMESPACE = "tripleomaster";
  public static final String PREFIX = "centos-binary-";
  public static final String TAG = "current-tripleo-rdo";
  public static final String CREATED = "2026-01-01T00:00:00Z";

  static final String NOVA_SERVERS = "usr/lib/python3.6/site-packages/nova/api/openstack/compute/servers.py";
  static final String NEUTRON_AGENT = "usr/lib/python2.7/site-packages/neutron/agent/rpc.py";

  private DemoScenario() {}

  /** Writes the service images into {@code layout}, each named by its repository, and returns the names. */
  public static Map<String, String> writeImages(OciLayout layout) throws IOException {
    Path blobs = layout.root().resolve(OciLayout.BLOBS_DIR);
    // novajoin's configuration directory is readable by its group only, as kolla makes it.
    WrittenLayer base = SampleImage.writeLayer(blobs, Layer.ofEntries(List.of(
        SampleImage.Entry.file("etc/os-release", "NAME=\"refit demo\"\nID=demo\n"),
        SampleImage.Entry.dir("etc/novajoin", 0750, 0, KollaFamily.NOVA))));
    WrittenLayer nova = SampleImage.writeLayer(blobs, Layer.of(Map.of(
        "usr/lib/python3.6/site-packages/nova/__init__.py", "",
        NOVA_SERVERS, novaServers())));
    WrittenLayer neutron = SampleImage.writeLayer(blobs, Layer.of(Map.of(
        "usr/lib/python2.7/site-packages/neutron/__init__.py", "",
        NEUTRON_AGENT, neutronAgent())));
    WrittenLayer novajoin = SampleImage.writeLayer(blobs, Layer.of(Map.of(
        "usr/lib/python3.6/site-packages/novajoin/__init__.py", "")));

    Map<String, List<WrittenLayer>> services = new LinkedHashMap<>();
    services.put("nova-api", List.of(base, nova, bin(blobs, "nova-api")));
    services.put("nova-compute", List.of(base, nova, bin(blobs, "nova-compute")));
    services.put("nova-conductor", List.of(base, nova));
    services.put("neutron-server", List.of(base, neutron));
    services.put("novajoin-server", List.of(base, novajoin));

    Map<String, String> repositories = new LinkedHashMap<>();
    for (Map.Entry<String, List<WrittenLayer>> s : services.entrySet()) {
      SampleImage.Written image = SampleImage.writeImage(blobs, s.getValue(), CREATED,
          Map.of("build-date", CREATED.substring(0, 10), "name", PREFIX + s.getKey()),
          List.of("kolla_start"));
      String repository = NAMESPACE + "/" + PREFIX + s.getKey();
      layout.addManifest(image.manifest().descriptor(), repository);
      repositories.put(s.getKey(), repository);
    }
    return repositories;
  }

  /** Writes deploy_settings.yaml and the two patches into {@code dir}; returns the settings file. */
  public static Path writeSettings(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("nova-servers.patch"), novaPatch(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("neutron-agent.patch"), neutronPatch(), StandardCharsets.UTF_8);
    return Files.writeString(dir.resolve("deploy_settings.yaml"), String.join("\n",
        "# Apex deploy settings for the refit demo: two local patches, containers on master.",
        "global_params:",
        "  ha_enabled: false",
        "  patches:",
        "    undercloud: []",
        "    overcloud:",
        "      - change-id: I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        "        project: openstack/nova",
        "        file: nova-servers.patch",
        "      - change-id: I7654321098f7e6d5c4b3a29180f6e5d4c3b2a1f0",
        "        project: openstack/neutron",
        "        file: neutron-agent.patch",
        "deploy_options:",
        "  containers: true",
        "  os_version: master",
        ""), StandardCharsets.UTF_8);
  }

  private static WrittenLayer bin(Path blobs, String service) throws IOException {
    return SampleImage.writeLayer(blobs, Layer.of(Map.of(
        "usr/bin/" + service, "#!/bin/sh\nexec python3 -m nova.cmd." + service.substring(5) + "\n")));
  }

  private static String novaServers() {
    return "class ServersController(object):\n"
        + "    def create(self, req, body):\n"
        + "        max_count = 1\n"
        + "        return self._create(req, body, max_count)\n";
  }

  private static String neutronAgent() {
    return "def report_state(context, agent_state):\n"
        + "    timeout = 30\n"
        + "    return context.call('report_state', agent_state, timeout)\n";
  }

  private static String novaPatch() {
    return "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
        + "From: refit demo <demo@refit.invalid>\n"
        + "Subject: [PATCH] Allow batch server creation\n"
        + "\n"
        + "---\n"
        + "diff --git a/nova/api/openstack/compute/servers.py b/nova/api/openstack/compute/servers.py\n"
        + "--- a/nova/api/openstack/compute/servers.py\n"
        + "+++ b/nova/api/openstack/compute/servers.py\n"
        + "@@ -1,4 +1,4 @@\n"
        + " class ServersController(object):\n"
        + "     def create(self, req, body):\n"
        + "-        max_count = 1\n"
        + "+        max_count = body.get('max_count', 1)\n"
        + "         return self._create(req, body, max_count)\n"
        + "-- \n"
        + "2.39.5\n";
  }

  private static String neutronPatch() {
    return "diff --git a/neutron/agent/rpc.py b/neutron/agent/rpc.py\n"
        + "--- a/neutron/agent/rpc.py\n"
        + "+++ b/neutron/agent/rpc.py\n"
        + "@@ -1,3 +1,3 @@\n"
        + " def report_state(context, agent_state):\n"
        + "-    timeout = 30\n"
        + "+    timeout = 60\n"
        + "     return context.call('report_state', agent_state, timeout)\n";
  }
}
