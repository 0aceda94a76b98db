#!/usr/bin/env bash
# A real Chroma server (PyPI chromadb 1.5.x, `chroma run`, HTTP API v2) on loopback, for the Chroma source tests.
#
#   scripts/chroma-server.sh install|start|stop|status|env
#   eval "$(scripts/chroma-server.sh env)"   # -> CHROMA_URL
#
# Installs chromadb into .peers/chroma-venv (CHROMA_VENV) and keeps its data in .peers/chroma-data
# (CHROMA_DATA_DIR); the server runs in its own process group and answers GET /api/v2/heartbeat when up.
# Env knobs: CHROMA_PORT (8000), CHROMA_VERSION (pip spec, ">=1.5,<1.6"), CHROMA_VENV, CHROMA_DATA_DIR,
#   CHROMA_START_TIMEOUT (s, 120).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CHROMA_VENV:-$REPO/.peers/chroma-venv}
DATA=$(mkdir -p "${CHROMA_DATA_DIR:-$REPO/.peers/chroma-data}" && cd "${CHROMA_DATA_DIR:-$REPO/.peers/chroma-data}" && pwd)
PORT=${CHROMA_PORT:-8000}
SPEC=${CHROMA_VERSION:->=1.5,<1.6}
TIMEOUT=${CHROMA_START_TIMEOUT:-120}
PIDFILE=$DATA/chroma.pid
LOG=$DATA/chroma.log

log() { echo "chroma-server: $*" >&2; }

pid() { [[ -f $PIDFILE ]] && grep -qa 'chroma' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

healthy() { [[ -n $(pid) ]] && curl -fsS -m 5 "http://127.0.0.1:$PORT/api/v2/heartbeat" 2>/dev/null | grep -q nanosecond; }

install() {
  if "$VENV/bin/python" -c 'import chromadb, sys; v = chromadb.__version__.split("."); sys.exit(0 if v[:2] == ["1", "5"] else 1)' 2>/dev/null; then
    return 0
  fi
  log "installing chromadb$SPEC into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "chromadb$SPEC" >&2
}

start() {
  if healthy; then log "already running (pid $(pid))"; return 0; fi
  if [[ -n $(pid) ]]; then log "pid $(pid) alive but not answering; restarting"; stop; fi
  rm -f "$PIDFILE"
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  log "starting on 127.0.0.1:$PORT (data $DATA/db, log $LOG)"
  (
    cd "$DATA"
    exec setsid "$VENV/bin/chroma" run --path "$DATA/db" --host 127.0.0.1 --port "$PORT" >>"$LOG" 2>&1 </dev/null
  ) &
  echo $! >"$PIDFILE"
  local t0=$SECONDS
  until healthy; do
    if [[ -z $(pid) ]] || (( SECONDS - t0 > TIMEOUT )); then
      log "FAILED to come up within ${TIMEOUT}s; last log lines:"; tail -n 30 "$LOG" >&2
      stop || true; exit 1
    fi
    sleep 0.5
  done
  log "up after $((SECONDS - t0))s (pid $(pid)), chromadb $("$VENV/bin/python" -c 'import chromadb; print(chromadb.__version__)')"
}

stop() {
  local p; p=$(pid) || { log "not running"; return 0; }
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" || true
  for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$p" 2>/dev/null || true
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if healthy; then echo "running pid=$(pid) url=http://127.0.0.1:$PORT"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() { echo "export CHROMA_URL=http://127.0.0.1:$PORT"; }

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
