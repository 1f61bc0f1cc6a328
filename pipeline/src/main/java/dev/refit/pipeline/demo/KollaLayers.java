package dev.refit.pipeline.demo;

import static dev.refit.pipeline.demo.KollaFamily.CEPH;
import static dev.refit.pipeline.demo.KollaFamily.GLANCE;
import static dev.refit.pipeline.demo.KollaFamily.KEYSTONE;
import static dev.refit.pipeline.demo.KollaFamily.NEUTRON;
import static dev.refit.pipeline.demo.KollaFamily.NOVA;
import static dev.refit.pipeline.demo.KollaFamily.SITE;

import dev.refit.pipeline.demo.SampleImage.Entry;
import dev.refit.pipeline.demo.SampleImage.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of {@link KollaFamily}'s layers, as kolla lays them out: a base with the kolla
 * users and start scripts, a python site-packages skeleton, then per project its code,
 * configuration and state directories. The files the sample patches and the ceph install/ tree
 * under {@code examples/demo} change are here, byte for byte. Stateless; thread-safe.
 */
final class KollaLayers {
  static final String NOVA_SERVERS = SITE + "nova/api/openstack/compute/servers.py";
  static final String NOVA_COMPUTE_MANAGER = SITE + "nova/compute/manager.py";
  static final String NEUTRON_RPC = SITE + "neutron/agent/rpc.py";
  static final String CEPH_DISK = SITE + "ceph_volume/util/disk.py";

  private KollaLayers() {}

  /** The OS layer every image shares: os-release, the kolla users, kolla_start; no shell. */
  static Layer base() {
    return Layer.ofEntries(List.of(
        Entry.file("etc/os-release", "NAME=\"CentOS Linux\"\nVERSION=\"8 (refit demo)\"\n"
            + "ID=\"centos\"\nVERSION_ID=\"8\"\nPRETTY_NAME=\"refit demo base (kolla-shaped)\"\n"),
        Entry.file("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\n"
            + "ceph:x:167:167:Ceph daemons:/var/lib/ceph:/sbin/nologin\n"
            + "glance:x:42415:42415::/var/lib/glance:/sbin/nologin\n"
            + "keystone:x:42425:42425::/var/lib/keystone:/sbin/nologin\n"
            + "neutron:x:42435:42435::/var/lib/neutron:/sbin/nologin\n"
            + "nova:x:42436:42436::/var/lib/nova:/sbin/nologin\n"),
        Entry.file("etc/group", "root:x:0:\nceph:x:167:\nkolla:x:42400:glance,keystone,neutron,nova\n"
            + "glance:x:42415:\nkeystone:x:42425:\nneutron:x:42435:\nnova:x:42436:\n"),
        Entry.executable("usr/local/bin/kolla_start", "#!/usr/bin/python3\n"
            + "# Runs the command named in /run_command, written by kolla_set_configs.\n"
            + "import os\ncmd = open('/run_command').read().split()\nos.execvp(cmd[0], cmd)\n"),
        Entry.executable("usr/local/bin/kolla_set_configs", "#!/usr/bin/python3\n"
            + "# Copies /var/lib/kolla/config_files into place, as kolla's set_configs.py does.\n"),
        Entry.dir("var/lib/kolla/config_files", 0755, 0, 0),
        Entry.dir("var/log/kolla", 0755, 0, 0),
        Entry.dir("tmp", 01777, 0, 0)));
  }

  /** openstack-base: the python site-packages skeleton every OpenStack service imports. */
  static Layer openstackBase() {
    return Layer.ofEntries(List.of(
        Entry.file(SITE + "six.py", "PY3 = True\nstring_types = (str,)\n"),
        Entry.file(SITE + "oslo_config/__init__.py", ""),
        Entry.file(SITE + "oslo_config/cfg.py", "class ConfigOpts(object):\n"
            + "    def __call__(self, args=None, project=None):\n        self.project = project\n\n"
            + "CONF = ConfigOpts()\n"),
        Entry.file(SITE + "oslo_log/__init__.py", ""),
        Entry.file(SITE + "oslo_log/log.py", "import logging\n\ndef getLogger(name):\n"
            + "    return logging.getLogger(name)\n"),
        Entry.file(SITE + "oslo_messaging/__init__.py", "")));
  }

  /** nova-base, shared by the four nova images; the nova patch changes two of its files. */
  static Layer novaBase() {
    List<Entry> e = project("nova", NOVA, "[DEFAULT]\nstate_path = /var/lib/nova\n");
    e.add(Entry.file(SITE + "nova/api/__init__.py", ""));
    e.add(Entry.file(SITE + "nova/api/openstack/__init__.py", ""));
    e.add(Entry.file(SITE + "nova/api/openstack/compute/__init__.py", ""));
    e.add(Entry.file(NOVA_SERVERS, """
        from oslo_log import log as logging

        LOG = logging.getLogger(__name__)


        class ServersController(object):
            \"\"\"The Server API base controller for the OpenStack API.\"\"\"

            def create(self, req, body):
                server_dict = body['server']
                min_count = 1
                max_count = 1
                return self._create(req, server_dict, min_count, max_count)

            def _create(self, req, server_dict, min_count, max_count):
                LOG.debug('creating %d-%d servers', min_count, max_count)
                return self.compute_api.create(req, server_dict, min_count, max_count)
        """));
    e.add(Entry.file(SITE + "nova/compute/__init__.py", ""));
    e.add(Entry.file(NOVA_COMPUTE_MANAGER, """
        from oslo_log import log as logging

        LOG = logging.getLogger(__name__)


        class ComputeManager(object):
            \"\"\"Manages the running instances from creation to destruction.\"\"\"

            def _build_and_run_instance(self, context, instance):
                LOG.info('Took %0.2f seconds to build instance.', 0)
                return self.driver.spawn(context, instance)
        """));
    for (String sub : List.of("conductor", "scheduler", "cmd")) {
      e.add(Entry.file(SITE + "nova/" + sub + "/__init__.py", ""));
    }
    e.add(Entry.file(SITE + "nova/conductor/manager.py", "class ConductorManager(object):\n"
        + "    target_version = '1.0'\n"));
    e.add(Entry.file(SITE + "nova/scheduler/manager.py", "class SchedulerManager(object):\n"
        + "    target_version = '4.5'\n"));
    return Layer.ofEntries(e);
  }

  /** neutron-base, shared by neutron-server and the openvswitch agent. */
  static Layer neutronBase() {
    List<Entry> e = project("neutron", NEUTRON, "[DEFAULT]\ncore_plugin = ml2\n");
    e.add(Entry.file(SITE + "neutron/agent/__init__.py", ""));
    e.add(Entry.file(NEUTRON_RPC, """
        class PluginReportStateAPI(object):
            \"\"\"RPC client used to report agent state back to the plugin.\"\"\"

            def report_state(self, context, agent_state, use_call=False):
                timeout = 30
                cctxt = self.client.prepare(timeout=timeout)
                return cctxt.call(context, 'report_state', agent_state=agent_state)
        """));
    e.add(Entry.file(SITE + "neutron/cmd/__init__.py", ""));
    e.add(Entry.file(SITE + "neutron/plugins/__init__.py", ""));
    e.add(Entry.file(SITE + "neutron/plugins/ml2/__init__.py", ""));
    return Layer.ofEntries(e);
  }

  /** novajoin: a separate project whose name merely starts with "nova". */
  static Layer novajoin() {
    return Layer.ofEntries(service("novajoin", NOVA, "[DEFAULT]\njoin_listen_port = 9090\n",
        "novajoin/join.py", "class JoinController(object):\n"
            + "    def create(self, req, body=None):\n        return {}\n",
        "novajoin-server", "server"));
  }

  static Layer glance() {
    List<Entry> e = service("glance", GLANCE, "[DEFAULT]\nbind_port = 9292\n",
        "glance/api/v2/images.py", "class ImagesController(object):\n"
            + "    def index(self, req):\n        return []\n",
        "glance-api", "api");
    e.add(Entry.file(SITE + "glance/api/__init__.py", ""));
    e.add(Entry.file(SITE + "glance/api/v2/__init__.py", ""));
    return Layer.ofEntries(e);
  }

  static Layer keystone() {
    List<Entry> e = service("keystone", KEYSTONE, "[token]\nprovider = fernet\n",
        "keystone/token/provider.py", "class Manager(object):\n"
            + "    driver_namespace = 'keystone.token.provider'\n",
        "keystone-manage", "manage");
    e.add(Entry.file(SITE + "keystone/token/__init__.py", ""));
    e.add(Entry.dir("etc/keystone/fernet-keys", 0700, KEYSTONE, KEYSTONE));
    return Layer.ofEntries(e);
  }

  /** The ceph daemon: on the base only; the demo's ceph install/ tree changes disk.py. */
  static Layer ceph() {
    return Layer.ofEntries(List.of(
        Entry.executable("usr/bin/ceph-mon", "#!/usr/bin/python3\n# ceph monitor (sample)\n"),
        Entry.executable("usr/bin/ceph-osd", "#!/usr/bin/python3\n# ceph object storage daemon (sample)\n"),
        Entry.executable("opt/ceph-container/bin/entrypoint.sh", "#!/bin/bash\n"
            + "# ceph-container entrypoint (sample): start the daemon named by CEPH_DAEMON\n"
            + "exec /usr/bin/ceph-${CEPH_DAEMON,,} \"$@\"\n"),
        Entry.file(SITE + "ceph_volume/__init__.py", "__version__ = '14.2.22'\n"),
        Entry.file(SITE + "ceph_volume/util/__init__.py", ""),
        Entry.file(CEPH_DISK, """
            def is_device(dev):
                \"\"\"Whether dev is a block device ceph-volume may use.\"\"\"
                if not dev.startswith('/dev/'):
                    return False
                return True
            """),
        Entry.dir("etc/ceph", 0755, CEPH, CEPH),
        Entry.dir("var/lib/ceph", 0750, CEPH, CEPH),
        Entry.dir("var/run/ceph", 0770, CEPH, CEPH)));
  }

  /** A single-image project: {@link #project}, one module and its command in usr/bin. */
  private static List<Entry> service(String name, int uid, String conf, String module,
      String code, String command, String cmdModule) {
    List<Entry> e = project(name, uid, conf);
    e.add(Entry.file(SITE + module, code));
    e.add(Entry.executable("usr/bin/" + command, "#!/usr/bin/python3\n"
        + "from " + name + ".cmd." + cmdModule + " import main\nmain()\n"));
    return e;
  }

  /**
   * What every OpenStack project layer holds: its package (root 0644), its configuration readable
   * by its group, its state and log directories owned by its user.
   */
  private static List<Entry> project(String name, int uid, String conf) {
    List<Entry> e = new ArrayList<>();
    e.add(Entry.file(SITE + name + "/__init__.py", ""));
    e.add(Entry.file(SITE + name + "/version.py", "version_string = '19.0.0'\n"));
    e.add(Entry.dir("etc/" + name, 0750, 0, uid));
    e.add(Entry.file("etc/" + name + "/" + name + ".conf", conf).withOwner(0, uid, 0640));
    e.add(Entry.dir("var/lib/" + name, 0755, uid, uid));
    e.add(Entry.dir("var/log/kolla/" + name, 0755, uid, uid));
    return e;
  }
}
