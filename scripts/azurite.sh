#!/usr/bin/env bash
# Azurite (npm "azurite", Microsoft's Azure Storage emulator), blob service only, on loopback, for tests.
#
#   scripts/azurite.sh start|stop|status|env
#   eval "$(scripts/azurite.sh env)"   # -> AZURE_CONNECTION_STRING (the well-known dev account), AZURE_BLOB_ENDPOINT
#
# Env knobs: AZURITE_PORT (10000), AZURITE_DATA_DIR (default $REPO/.peers/azurite-data).
# Pinned to 3.35.0: 3.36+ declare node >= 21 and this machine has node 20. --skipApiVersionCheck lets a newer
# azure-storage-blob talk to it. Blobs persist in the data dir across stop/start (tests restart it mid-upload).
set -euo pipefail

AZURITE_VERSION=3.35.0
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=$REPO/.peers/azurite
DATA=$(mkdir -p "${AZURITE_DATA_DIR:-$REPO/.peers/azurite-data}" && cd "${AZURITE_DATA_DIR:-$REPO/.peers/azurite-data}" && pwd)
PORT=${AZURITE_PORT:-10000}
PIDFILE=$DATA/azurite.pid
LOG=$DATA/azurite.log
# The documented development account of the emulator (public, not a secret).
ACCOUNT=devstoreaccount1
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

log() { echo "azurite: $*" >&2; }
pid() { [[ -f $PIDFILE ]] && grep -qa 'azurite' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install() {
  if [[ $(node -p "require('$PREFIX/node_modules/azurite/package.json').version" 2>/dev/null) != "$AZURITE_VERSION" ]]; then
    log "installing azurite@$AZURITE_VERSION into $PREFIX"
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  fi
}

start() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then log "already running (pid $(pid))"; return 0; fi
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  log "starting on 127.0.0.1:$PORT (data $DATA, log $LOG)"
  setsid "$PREFIX/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$DATA" \
    --skipApiVersionCheck --loose --silent >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    port_open "$PORT" && { log "up (pid $(pid))"; return 0; }
    [[ -n $(pid) ]] || break
    sleep 0.5
  done
  log "FAILED to come up; last log lines:"; tail -n 20 "$LOG" >&2; stop || true; exit 1
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$p" 2>/dev/null || true
  while port_open "$PORT"; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if [[ -n $(pid) ]] && port_open "$PORT"; then echo "running pid=$(pid) port=$PORT"; return 0; fi
  echo "stopped"; return 3
}

env_() {
  local ep="http://127.0.0.1:$PORT/$ACCOUNT"
  echo "export AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=$ep;'"
  echo "export AZURE_BLOB_ENDPOINT=$ep"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
