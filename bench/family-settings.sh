# The bench family's settings for refit prepare (sourced by bench/prepare and bench/cluster):
# a nova patch (5 files) and a neutron patch (2 files) made from the installed files, the deploy
# settings naming them and a refit.yaml for the upstream. Needs FAMILY, WORK, SERVICES,
# NAMESPACE, PREFIX and TAG set. Bash.

SITE=usr/lib/python3/dist-packages
NOVA_FILES=(nova/compute/manager.py nova/conductor/manager.py nova/scheduler/manager.py
  nova/api/openstack/compute/servers.py nova/conf/compute.py)
NEUTRON_FILES=(neutron/agent/rpc.py neutron/agent/dhcp/agent.py)

# The top layer of a family stage, e.g. nova-base's python3-nova layer, as a blob path.
top_layer() {
  local tag="$1" manifest
  manifest="$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$FAMILY/oci/index.json")"
  echo "$FAMILY/oci/blobs/sha256/$(jq -r '.layers[-1].digest' "$FAMILY/oci/blobs/sha256/${manifest#sha256:}" | cut -d: -f2)"
}

# Writes a unified diff (a/ b/ paths relative to the project root) that changes each FILE the
# way a small real fix does: a module constant and a debug log at the start of the first method.
make_patch() {
  local stage="$1" out="$2" subject="$3"; shift 3
  local tree="$WORK/src-$stage" f
  mkdir -p "$tree/a" "$tree/b"
  tar -xzf "$(top_layer "$stage-base")" -C "$tree/a" --strip-components=4 "${@/#/$SITE/}"
  cp -a "$tree/a/." "$tree/b/"
  python3 - "$tree/b" "$@" <<'PY'
import re, sys
root, files = sys.argv[1], sys.argv[2:]
for f in files:
    path = f"{root}/{f}"
    lines = open(path).read().split("\n")
    # A module constant before the first top-level class or function (or its decorators), and a
    # statement at the start of the first method after it.
    top = next(i for i, l in enumerate(lines) if re.match(r"(class |def |@)", l))
    lines[top:top] = ["REFIT_BENCH_RETRIES = 3  # bounded retries for transient errors", "", ""]
    for i, l in enumerate(lines):
        m = re.match(r"(\s+)def \w+\(self.*\):$", l)
        if m and i > top:
            body = m.group(1) + "    "
            j = i + 1
            # Step over the docstring so the new statement follows it.
            if lines[j].strip().startswith(('"""', "'''")):
                q = lines[j].strip()[:3]
                while not (lines[j].rstrip().endswith(q) and (j > i + 1 or lines[j].strip().count(q) >= 2)):
                    j += 1
                j += 1
            lines.insert(j, body + "retries = REFIT_BENCH_RETRIES  # refit bench")
            break
    open(path, "w").write("\n".join(lines))
    compile("\n".join(lines), path, "exec")
PY
  {
    printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
    printf 'From: refit bench <bench@refit.invalid>\nSubject: [PATCH] %s\n\n---\n' "$subject"
    for f in "$@"; do
      echo "diff --git a/$f b/$f"
      (cd "$tree" && diff -u --label "a/$f" --label "b/$f" "a/$f" "b/$f") || true
    done
  } >"$out"
  [[ "$(grep -c '^+++ ' "$out")" == "$#" ]] || die "the $stage patch does not touch all $# files"
}
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
