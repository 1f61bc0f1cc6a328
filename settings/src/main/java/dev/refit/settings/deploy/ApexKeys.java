package dev.refit.settings.deploy;

import java.util.Set;

/**
 * The keys a real Apex deploy settings file may carry. refit reads a few and accepts the rest
 * without using them, so that an unmodified Apex scenario file loads, while a key Apex itself
 * would not know is reported as a typo. Stateless and thread-safe.
 *
 * <p>Taken from Apex's {@code apex/settings/deploy_settings.py} (REQ_DEPLOY_SETTINGS and
 * OPT_DEPLOY_SETTINGS) and the scenario files under {@code config/deploy/}.
 */
public final class ApexKeys {

  public static final Set<String> TOP_LEVEL = Set.of("global_params", "deploy_options");

  /** global_params: refit reads {@code patches}; the others steer the Apex deployment only. */
  public static final Set<String> GLOBAL_PARAMS = Set.of(
      "ha_enabled", "introspect", "ipxe", "patches");

  /** deploy_options: refit reads {@code containers} and {@code os_version}. */
  public static final Set<String> DEPLOY_OPTIONS = Set.of(
      // read by refit
      "containers", "os_version",
      // Apex required options (defaults filled in by Apex)
      "sdn_controller", "odl_version", "tacker", "congress", "dataplane", "sfc", "vpn", "vpp",
      "ceph", "gluon", "rt_kvm", "l2gw", "sriov",
      // Apex optional options
      "performance", "vsperf", "ceph_device", "yardstick", "dovetail", "odl_vpp_routing_node",
      "dvr", "odl_vpp_netvirt", "barometer", "calipso", "sdn_l3", "odl_vpp_version", "vim",
      "k8s");

  public static final Set<String> PATCH_LISTS = Set.of("undercloud", "overcloud");

  /** Patch entry keys: Apex's three plus refit's {@code revision}, {@code file}, {@code tree}. */
  public static final Set<String> PATCH_ENTRY = Set.of(
      "change-id", "project", "branch", "revision", "file", "tree");

  private ApexKeys() {}
}
