#!/usr/bin/env bash
# Milvus Lite (PyPI "milvus-lite", with "pymilvus" beside it) as a gRPC server on loopback, for tests of the kinds
# Milvus 2.3.5 lacks (sparse vectors, nullable fields and default values, several vector fields, bfloat16). It has
# no bulk import and no binary or float16 vectors; the Java SDK talks to it like to a Milvus server.
#
#   scripts/milvus-lite.sh install|start|stop|status|env
#   eval "$(scripts/milvus-lite.sh env)"   # -> MILVUS_LITE_URI=http://127.0.0.1:19600
#
# Env knobs: MILVUS_LITE_PORT (19600), MILVUS_LITE_DATA_DIR (default $REPO/.peers/milvus-lite-data),
#   MILVUS_LITE_START_TIMEOUT (s, 60).
set -euo pipefail

LITE_VERSION=3.2.2
PYMILVUS_VERSION=2.6.6
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$REPO/.peers/milvus-lite-venv
DATA=$(mkdir -p "${MILVUS_LITE_DATA_DIR:-$REPO/.peers/milvus-lite-data}" \
  && cd "${MILVUS_LITE_DATA_DIR:-$REPO/.peers/milvus-lite-data}" && pwd)
PORT=${MILVUS_LITE_PORT:-19600}
TIMEOUT=${MILVUS_LITE_START_TIMEOUT:-60}
PIDFILE=$DATA/milvus-lite.pid
LOG=$DATA/milvus-lite.log

log() { echo "milvus-lite: $*" >&2; }
pid() { [[ -f $PIDFILE ]] && grep -qa 'milvus' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install() {
  if [[ $("$VENV/bin/pip" show milvus-lite 2>/dev/null | sed -n 's/^Version: //p') != "$LITE_VERSION" ]]; then
    log "installing milvus-lite==$LITE_VERSION pymilvus==$PYMILVUS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "milvus-lite==$LITE_VERSION" "pymilvus==$PYMILVUS_VERSION"
  fi
}

start() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then log "already running (pid $(pid))"; return 0; fi
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  mkdir -p "$DATA/db"
  log "starting on 127.0.0.1:$PORT (data $DATA/db, log $LOG)"
  setsid "$VENV/bin/milvus-lite" server --data-dir "$DATA/db" --host 127.0.0.1 --port "$PORT" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 $((TIMEOUT * 4))); do
    if port_open "$PORT"; then log "up (pid $(pid))"; return 0; fi
    [[ -n $(pid) ]] || break
    sleep 0.25
  done
  log "FAILED to come up; last log lines:"; tail -n 20 "$LOG" >&2; stop || true; exit 1
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  while port_open "$PORT"; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then echo "running pid=$(pid) port=$PORT"; return 0; fi
  echo "stopped"; return 3
}

env_() { echo "export MILVUS_LITE_URI=http://127.0.0.1:$PORT"; }

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
