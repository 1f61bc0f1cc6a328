# Shared helpers for refit's bench scripts (sourced, not run). Bash; blocking.
# Every process a bench starts is recorded with `track PID` and stopped by `stop_all` (trap).

BENCH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REFIT_BIN="${REFIT_BIN:-$BENCH_REPO/bin/refit}"
DISTRIBUTION_BIN="${DISTRIBUTION_BIN:-$(command -v docker-registry || true)}"
TRACKED_PIDS=()

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || die "$t not found (bin/test installs the bench's tools: skopeo, docker-registry, umoci, curl)"
  done
}

require_refit() {
  [[ -x "$REFIT_BIN" ]] || die "$REFIT_BIN missing: the refit CLI (bin/refit) comes from main; set REFIT_BIN to override"
}

# A TCP port that was free a moment ago on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

track() { TRACKED_PIDS+=("$1"); }

untrack() {
  local keep=() p
  for p in "${TRACKED_PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
  TRACKED_PIDS=("${keep[@]}")
}

# The JVM behind a refit launcher PID: the launcher may exec java (same PID) or run it as a child.
java_pid_of() {
  local pid="$1" child
  if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == java ]]; then
    echo "$pid"
    return
  fi
  child="$(pgrep -P "$pid" -x java | head -n1 || true)"
  echo "${child:-$pid}"
}

# Sends SIGTERM (or $2) to PID and its direct children, then waits up to 60 s for it to exit.
stop_pid() {
  local pid="$1" sig="${2:-TERM}" i
  kill -0 "$pid" 2>/dev/null || { untrack "$pid"; return 0; }
  local children
  children="$(pgrep -P "$pid" || true)"
  kill "-$sig" "$pid" 2>/dev/null || true
  [[ -n "$children" ]] && kill "-$sig" $children 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIG$sig; killing"
    kill -KILL "$pid" $children 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  untrack "$pid"
}

stop_all() {
  local p
  for p in "${TRACKED_PIDS[@]}"; do stop_pid "$p"; done
}

# Waits (bounded) until GET http://HOSTPORT/v2/ answers 200 while PID lives.
wait_registry() {
  local hostport="$1" pid="$2" timeout="${3:-300}" deadline=$((SECONDS + ${3:-300}))
  until curl -fsS --max-time 2 -o /dev/null "http://$hostport/v2/" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "registry pid $pid exited before answering on $hostport"
    (( SECONDS < deadline )) || die "registry on $hostport did not answer within ${timeout}s"
    sleep 0.2
  done
}

# Starts `bin/refit registry serve` on ROOT and PORT (and any further serve options); sets
# STARTED_PID to the launcher's PID.
# (Not called in $(...): the process must be a child of the bench's own shell to be tracked.)
start_refit() {
  local root="$1" port="$2" logfile="$3"
  shift 3
  mkdir -p "$root"
  "$REFIT_BIN" registry serve --root "$root" --listen "127.0.0.1:$port" "$@" >>"$logfile" 2>&1 </dev/null &
  local pid=$!
  track "$pid"
  STARTED_PID="$pid"
  wait_registry "127.0.0.1:$port" "$pid" 300
}

# Starts the CNCF distribution registry (docker-registry serve) on ROOT and PORT; sets STARTED_PID.
start_distribution() {
  local root="$1" port="$2" logfile="$3"
  [[ -x "$DISTRIBUTION_BIN" ]] || die "docker-registry not found (apt-get install docker-registry)"
  mkdir -p "$root"
  local config="$root.config.yml"
  # Debian's packaged config enables htpasswd; this one is open, plain HTTP, loopback only.
  cat >"$config" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $root
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: refit-bench-$port
YAML
  "$DISTRIBUTION_BIN" serve "$config" >>"$logfile" 2>&1 </dev/null &
  local pid=$!
  track "$pid"
  STARTED_PID="$pid"
  wait_registry "127.0.0.1:$port" "$pid" 60
}

# skopeo with a permissive signature policy and an empty credentials file, so the machine's own
# containers/docker configuration does not change what is measured.
# REGISTRY_AUTH_FILE is set for skopeo only: distribution reads REGISTRY_* variables as config.
skopeo_bench() {
  REGISTRY_AUTH_FILE="$BENCH_AUTHFILE" skopeo --policy "$BENCH_POLICY" "$@"
}

setup_skopeo() {
  local dir="$1"
  BENCH_POLICY="$dir/policy.json"
  echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$BENCH_POLICY"
  BENCH_AUTHFILE="$dir/auth.json"
  echo '{}' >"$BENCH_AUTHFILE"
}

# The top layer of a family stage of FAMILY, e.g. nova-base's python3-nova layer, as a blob path.
top_layer() {
  local tag="$1" manifest
  manifest="$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$FAMILY/oci/index.json")"
  [[ -n "$manifest" ]] || die "no stage $tag in $FAMILY/oci"
  echo "$FAMILY/oci/blobs/sha256/$(jq -r '.layers[-1].digest' "$FAMILY/oci/blobs/sha256/${manifest#sha256:}" | cut -d: -f2)"
}

# Writes a unified diff (a/ b/ paths relative to the project root) that changes each FILE the
# way a small real fix does: a module constant and a debug log at the start of the first method.
# Usage: make_patch STAGE OUT SUBJECT FILE...; reads FAMILY and SITE, works under WORK.
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
