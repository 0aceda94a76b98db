#!/usr/bin/env bash
# Real Milvus 2.3.5 standalone (PyPI "milvus", the embedded server build) on loopback, for tests.
#
#   scripts/milvus-server.sh install|start|stop|status|env
#   eval "$(scripts/milvus-server.sh env)"   # -> MILVUS_URI, MILVUS_IMPORT_ROOT, MILVUS_TOKEN, ...
#
# Env knobs: MILVUS_PORT (gRPC+REST, 19530), MILVUS_METRICS_PORT (/healthz, 9091),
#   MILVUS_ETCD_PORT (embedded etcd client port, 2379; peer port is +1), MILVUS_DATA_DIR
#   (default $REPO/.peers/milvus-data), MILVUS_START_TIMEOUT (s, 180),
#   MILVUS_STOP_GRACE (s, 3): how long `stop` lets the server shut down after SIGTERM before it SIGKILLs the
#   server's process group; the same value is Milvus's own common.gracefulStopTimeout (its default, 1800 s, makes a
#   standalone that has loaded collections wait for a segment hand-off that has no other node to go to),
#   MILVUS_AUTH=true to start with common.security.authorizationEnabled (user root / password Milvus,
#   token "root:Milvus"; the setting applies per start, so stop + start to switch it).
#
# S3 mode (opt-in): MILVUS_STORAGE=s3 keeps Milvus's object storage in an S3 server instead of the local disk
#   (common.storageType: minio; minio.address/port/accessKeyID/secretAccessKey/bucketName from S3_HOST, S3_PORT,
#   S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, as printed by scripts/s3-server.sh env; minio.useSSL from S3_USE_SSL,
#   default false; minio.rootPath from MILVUS_S3_ROOT_PATH, default "files"). Bulk import then reads files as keys
#   in that bucket. Give it its own ports and data dir to run next to a default-mode server, e.g.
#     eval "$(scripts/s3-server.sh env)"
#     MILVUS_STORAGE=s3 MILVUS_PORT=19540 MILVUS_METRICS_PORT=9101 MILVUS_ETCD_PORT=2399 \
#       MILVUS_DATA_DIR=.peers/milvus-s3-data scripts/milvus-server.sh start
#   and its `env` prints MILVUS_S3_URI, MILVUS_S3_BUCKET, MILVUS_S3_ROOT_PATH instead of MILVUS_URI.
#
# Bulk import (Import RPC / do_bulk_insert), default mode: storage is "local", and this Milvus opens import file
# paths as plain OS paths, NOT under localStorage.path or a bucket. Relative paths resolve against
# the server's working directory, which this script sets to MILVUS_IMPORT_ROOT. So a file written at
#   $MILVUS_IMPORT_ROOT/some/dir/id.npy   is named   some/dir/id.npy   in the import request
# (its absolute path works too). Both per-field .npy (id.npy int64, vector.npy float32 (n,dim)) and
# row-based .json ({"rows":[{"id":1,"vector":[...]}]}) were verified. Files are not deleted by import.
#
# Ports: gRPC/REST, metrics and embedded etcd are fixed as above (pre-checked, fail if taken); the
# internal component ports (53100, 19529, 19531, 21121-21124, 13333, 22930 ...) are moved to free
# ones by the milvus package. Milvus 2.3 binds its gRPC ports on all interfaces (not configurable);
# embedded etcd binds 127.0.0.1 only. Clients should use 127.0.0.1.
set -euo pipefail

MILVUS_VERSION=2.3.5
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS=$REPO/.peers
VENV=$PEERS/milvus-venv
BIN=$VENV/milvus-server/bin            # binaries unpacked from the wheel's .lzma files
DATA=$(mkdir -p "${MILVUS_DATA_DIR:-$PEERS/milvus-data}" && cd "${MILVUS_DATA_DIR:-$PEERS/milvus-data}" && pwd)
IMPORT_ROOT=$DATA/import
PORT=${MILVUS_PORT:-19530}
METRICS_PORT=${MILVUS_METRICS_PORT:-9091}
ETCD_PORT=${MILVUS_ETCD_PORT:-2379}
AUTH=${MILVUS_AUTH:-false}
TIMEOUT=${MILVUS_START_TIMEOUT:-180}
STOP_GRACE=${MILVUS_STOP_GRACE:-3}
STORAGE=${MILVUS_STORAGE:-local}
S3_ROOT_PATH=${MILVUS_S3_ROOT_PATH:-files}
if [[ $STORAGE != local && $STORAGE != s3 ]]; then
  echo "milvus-server: MILVUS_STORAGE must be local or s3: $STORAGE" >&2; exit 2
fi
PIDFILE=$DATA/milvus.pid
LOG=$DATA/logs/milvus.log

log() { echo "milvus-server: $*" >&2; }

# Pid of our server, if alive (the cmdline check guards against a stale pid file and pid reuse).
pid() { [[ -f $PIDFILE ]] && grep -qa 'milvus' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

healthy() {
  [[ -n $(pid) ]] || return 1
  curl -fsS -m 5 "http://127.0.0.1:$METRICS_PORT/healthz" 2>/dev/null | grep -q OK || return 1
  # The proxy also serves the REST API on the gRPC port (cmux): a real request, not just a socket.
  curl -fsS -m 5 -H "Authorization: Bearer root:Milvus" \
    "http://127.0.0.1:$PORT/v1/vector/collections" 2>/dev/null | grep -q '"code":200'
}

install() {
  if [[ $("$VENV/bin/python" -c 'import milvus; print(milvus.__version__)' 2>/dev/null) != "$MILVUS_VERSION" ]]; then
    log "installing milvus==$MILVUS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "milvus==$MILVUS_VERSION"
  fi
  # Unpack the server binary + libs (skipped when the md5 stamps already match).
  "$VENV/bin/python" -c 'import sys, milvus; milvus._initialize_data_files(sys.argv[1])' "$(dirname "$BIN")"
}

# Render milvus.yaml from the package's template (same mechanism as its `milvus-server` CLI).
write_config() {
  mkdir -p "$DATA/configs" "$DATA/logs" "$DATA/run" "$IMPORT_ROOT"
  if [[ $STORAGE == s3 ]]; then
    local v
    for v in S3_HOST S3_PORT S3_ACCESS_KEY S3_SECRET_KEY S3_BUCKET; do
      [[ -n ${!v:-} ]] || { log "MILVUS_STORAGE=s3 needs $v (eval \"\$(scripts/s3-server.sh env)\")"; exit 2; }
    done
  fi
  MILVUS_STORAGE=$STORAGE MILVUS_S3_ROOT_PATH=$S3_ROOT_PATH MILVUS_STOP_GRACE=$STOP_GRACE \
  "$VENV/bin/python" - "$DATA" "$PORT" "$ETCD_PORT" "$AUTH" <<'PY'
import os, socket, sys
from milvus import MilvusServerConfig
# The package's port probe lacks SO_REUSEADDR (fails on TIME_WAIT), and it probes loopback while Milvus 2.3 binds
# its gRPC ports on every interface: a port held by an outgoing connection on another address passed the probe and
# then failed Milvus's bind. Probe every interface.
def try_bind_port(self, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("", port)); s.listen(); return s
    except OSError:
        s.close(); return None
MilvusServerConfig.try_bind_port = try_bind_port
data, port, etcd_port, auth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "true"
c = MilvusServerConfig(data_dir=data, proxy_port=port, etcd_port=etcd_port)  # *_port kwargs: fixed ports
c.set("authorization_enabled", auth)  # non-port settings must go through set()
c.resolve()  # writes $data/configs/milvus.yaml; storage under $data/data, logs under $data/logs
cfg = os.path.join(data, "configs")
# Embedded etcd: pin its listen URLs to loopback ports we choose (defaults would be 2379/2380).
with open(os.path.join(cfg, "embed-etcd.yaml"), "w") as f:
    peer = f"http://127.0.0.1:{etcd_port + 1}"
    f.write(f"name: default\nlisten-client-urls: http://127.0.0.1:{etcd_port}\n"
            f"advertise-client-urls: http://127.0.0.1:{etcd_port}\nlisten-peer-urls: {peer}\n"
            f"initial-advertise-peer-urls: {peer}\ninitial-cluster: default={peer}\n")
y = os.path.join(cfg, "milvus.yaml")
text = open(y).read().replace("  use:\n    embed: true",
                              f"  config:\n    path: {cfg}/embed-etcd.yaml\n  use:\n    embed: true", 1)
import re
e = os.environ
def put(section, key, value, text):
    pattern = re.compile(r"^(" + section + r":\n(?:(?:  .*|#.*|)\n)*?  " + key + r":)[^\n]*$", re.M)
    text, n = pattern.subn(lambda m: m.group(1) + " " + value, text, count=1)
    if n != 1:
        sys.exit(f"milvus.yaml: no {section}.{key}")
    return text
text = put("common", "gracefulStopTimeout", e["MILVUS_STOP_GRACE"], text)  # see MILVUS_STOP_GRACE in the header
if e.get("MILVUS_STORAGE") == "s3":  # object storage in the S3 server (values are not printed)
    for key, value in (("address", e["S3_HOST"]), ("port", e["S3_PORT"]), ("accessKeyID", e["S3_ACCESS_KEY"]),
                       ("secretAccessKey", e["S3_SECRET_KEY"]), ("useSSL", e.get("S3_USE_SSL", "false")),
                       ("bucketName", e["S3_BUCKET"]), ("rootPath", e["MILVUS_S3_ROOT_PATH"])):
        text = put("minio", key, value, text)
    text = put("common", "storageType", "minio", text)
open(y, "w").write(text)
# C++ (glog) logs: absolute dir, since the server's cwd is the import root.
with open(os.path.join(cfg, "glog.conf"), "w") as f:
    f.write(f"--logtostderr=false\n--minloglevel=0\n--log_dir={data}/logs/\n--max_log_size=200\n")
PY
}

start() {
  if healthy; then log "already running (pid $(pid))"; return 0; fi
  if [[ -n $(pid) ]]; then log "pid $(pid) alive but not healthy; restarting"; stop; fi
  rm -f "$PIDFILE"
  for p in "$PORT" "$METRICS_PORT" "$ETCD_PORT" $((ETCD_PORT + 1)); do
    if port_open "$p"; then log "port $p on 127.0.0.1 already in use"; exit 1; fi
  done
  install
  write_config
  log "starting on 127.0.0.1:$PORT (data $DATA, log $LOG, storage $STORAGE)"
  # setsid: own process group, survives the calling shell; cwd = import root (see header).
  (
    cd "$IMPORT_ROOT"
    export DEPLOY_MODE=STANDALONE METRICS_PORT=$METRICS_PORT MILVUSCONF=$DATA/configs \
      MILVUS_RUN_DIR=$DATA/run LD_LIBRARY_PATH=$BIN${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    exec setsid "$BIN/milvus" run standalone >>"$LOG" 2>&1 </dev/null
  ) &
  echo $! >"$PIDFILE"
  local t0=$SECONDS
  until healthy; do
    if [[ -z $(pid) ]] || (( SECONDS - t0 > TIMEOUT )); then
      log "FAILED to come up within ${TIMEOUT}s; last log lines:"; tail -n 40 "$LOG" >&2
      stop || true; exit 1
    fi
    sleep 1
  done
  # A stop that did not end cleanly (Milvus 2.3 may panic while stopping) leaves the old process's node sessions in
  # etcd until their lease (common.session.ttl, 30 s) runs out; until then the coordinators hand work, imports
  # included, to the dead nodes, and those imports are lost. Healthy means: no such stale session left.
  until [[ $(stale_sessions) == 0 ]]; do
    if (( SECONDS - t0 > TIMEOUT )); then
      log "FAILED: sessions of a previous server still in etcd after ${TIMEOUT}s"; stop || true; exit 1
    fi
    sleep 1
  done
  log "healthy after $((SECONDS - t0))s (pid $(pid))"
}

# Node roles (datanode, querynode, indexnode, proxy) with more than one session in the embedded etcd: sessions of a
# previous process whose lease has not expired yet. Read through etcd's JSON gateway.
stale_sessions() {
  "$VENV/bin/python" - "$ETCD_PORT" <<'PY' 2>/dev/null || echo 0  # etcd did not answer: best effort, nothing to wait for
import base64, collections, json, sys, urllib.request
b64 = lambda s: base64.b64encode(s.encode()).decode()
body = json.dumps({"key": b64("by-dev/meta/session/"), "range_end": b64("by-dev/meta/session0"), "keys_only": True})
r = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v3/kv/range", body.encode()),
                           timeout=5)
keys = [base64.b64decode(k["key"]).decode().rsplit("/", 1)[-1] for k in json.load(r).get("kvs", [])]
roles = collections.Counter(k.rsplit("-", 1)[0] for k in keys if "-" in k)
print(sum(1 for n in roles.values() if n > 1))
PY
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  # SIGTERM starts Milvus's graceful stop, which it cuts short itself after gracefulStopTimeout (MILVUS_STOP_GRACE);
  # it may print a harmless "panic: context canceled". Then SIGKILL whatever is left of its process group. Killing
  # is safe for the data: Milvus is crash-consistent (embedded etcd and the RocksMQ log are write-ahead logged, and a
  # killed process loses nothing the kernel already has), and imported or flushed segments are files on disk, so
  # collections and rows survive a restart.
  kill -TERM "$p" || true
  local waited=0
  while kill -0 "$p" 2>/dev/null && (( waited < (STOP_GRACE + 2) * 5 )); do sleep 0.2; waited=$((waited + 1)); done
  kill -KILL -- "-$p" 2>/dev/null || true
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if healthy; then echo "running pid=$(pid) uri=http://127.0.0.1:$PORT"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() {
  if [[ $STORAGE == s3 ]]; then
    echo "export MILVUS_S3_URI=http://127.0.0.1:$PORT"
    echo "export MILVUS_S3_BUCKET=${S3_BUCKET:-}"
    echo "export MILVUS_S3_ROOT_PATH=$S3_ROOT_PATH"
    return 0
  fi
  echo "export MILVUS_URI=http://127.0.0.1:$PORT"
  echo "export MILVUS_HOST=127.0.0.1"
  echo "export MILVUS_PORT=$PORT"
  printf 'export MILVUS_IMPORT_ROOT=%q\n' "$IMPORT_ROOT"
  [[ $AUTH == true ]] && echo "export MILVUS_TOKEN=root:Milvus"
  return 0
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
