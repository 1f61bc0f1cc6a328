# The bench family's settings for refit prepare (sourced by bench/prepare and bench/cluster):
# a nova patch (5 files) and a neutron patch (2 files) made from the installed files, the deploy
# settings naming them and a refit.yaml for the upstream. Needs FAMILY, WORK, SERVICES,
# NAMESPACE, PREFIX and TAG set, and lib.sh sourced (top_layer, make_patch). Bash.

SITE=usr/lib/python3/dist-packages
NOVA_FILES=(nova/compute/manager.py nova/conductor/manager.py nova/scheduler/manager.py
  nova/api/openstack/compute/servers.py nova/conf/compute.py)
NEUTRON_FILES=(neutron/agent/rpc.py neutron/agent/dhcp/agent.py)

# Writes the patches, deploy_settings.yaml and refit.yaml into DIR for UPSTREAM (host:port);
# sets SETTINGS to DIR.
write_family_settings() {
  SETTINGS="$1"
  local upstream="$2"
  log "making the nova (${#NOVA_FILES[@]} files) and neutron (${#NEUTRON_FILES[@]} files) patches from the installed files"
  mkdir -p "$SETTINGS"
  make_patch nova "$SETTINGS/nova-retries.patch" "Retry transient errors in compute, conductor and scheduler" "${NOVA_FILES[@]}"
  make_patch neutron "$SETTINGS/neutron-retries.patch" "Retry transient agent RPC errors" "${NEUTRON_FILES[@]}"
  cat >"$SETTINGS/deploy_settings.yaml" <<YAML
# Apex deploy settings for the bench family: a nova and a neutron patch, as local files.
global_params:
  ha_enabled: false
  patches:
    undercloud: []
    overcloud:
      - change-id: I1a2b3c4d5e6f708192a3b4c5d6e7f80912345678
        project: openstack/nova
        file: nova-retries.patch
      - change-id: I8765432109f8e7d6c5b4a39281f7e6d5c4b3a2f1
        project: openstack/neutron
        file: neutron-retries.patch
deploy_options:
  containers: true
  os_version: master
YAML
  {
    echo "upstream:"
    echo "  registry: $upstream"
    echo "  namespace: $NAMESPACE"
    echo "  name_prefix: $PREFIX"
    echo "  tag: $TAG"
    echo "images: [$(IFS=,; echo "${SERVICES[*]}" | sed 's/,/, /g')]"
  } >"$SETTINGS/refit.yaml"
}
