#!/usr/bin/env bash
# A real Weaviate server (weaviate-server built from the Go module proxy) on loopback, for the Weaviate source tests.
#
#   scripts/weaviate-server.sh install|start|stop|status|env
#   eval "$(scripts/weaviate-server.sh env)"   # -> WEAVIATE_URL
#
# install: `go install github.com/weaviate/weaviate/cmd/weaviate-server@$WEAVIATE_VERSION` into .peers/weaviate/bin
# (about 6 minutes on 2 cores; skipped when a binary of that version is there). Needs Go >= 1.25 (go.mod of 1.35.x);
# GOTOOLCHAIN=auto lets an older go fetch the right toolchain from the proxy. Runs one node with anonymous access, no
# modules (DEFAULT_VECTORIZER_MODULE=none), telemetry and the pprof listener off, data in .peers/weaviate-data;
# answers GET /v1/.well-known/ready when up. Every port it opens is a knob (defaults clear of Weaviate's own 8080,
# 50051, 7946/7947, 8300/8301, so it runs beside a developer's Weaviate):
#   WEAVIATE_PORT (8085, REST), WEAVIATE_GRPC_PORT (50055), WEAVIATE_GOSSIP_PORT (7956, memberlist gossip),
#   WEAVIATE_DATA_PORT (7957, memberlist data), WEAVIATE_RAFT_PORT (8310), WEAVIATE_RAFT_RPC_PORT (8311).
# REST, gossip and raft listen on 127.0.0.1; gRPC and the memberlist data port listen on every interface (Weaviate
# has no bind address for them).
# Other knobs: WEAVIATE_VERSION (v1.35.2), WEAVIATE_BIN_DIR (.peers/weaviate/bin), WEAVIATE_DATA_DIR
#   (.peers/weaviate-data), WEAVIATE_START_TIMEOUT (s, 120), WEAVIATE_GOFLAGS (-buildvcs=false).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=${WEAVIATE_VERSION:-v1.35.2}
BIN_DIR=${WEAVIATE_BIN_DIR:-$REPO/.peers/weaviate/bin}
BIN=$BIN_DIR/weaviate-server
DATA=$(mkdir -p "${WEAVIATE_DATA_DIR:-$REPO/.peers/weaviate-data}" && cd "${WEAVIATE_DATA_DIR:-$REPO/.peers/weaviate-data}" && pwd)
PORT=${WEAVIATE_PORT:-8085}
GRPC_PORT=${WEAVIATE_GRPC_PORT:-50055}
GOSSIP_PORT=${WEAVIATE_GOSSIP_PORT:-7956}
DATA_PORT=${WEAVIATE_DATA_PORT:-7957}
RAFT_PORT=${WEAVIATE_RAFT_PORT:-8310}
RAFT_RPC_PORT=${WEAVIATE_RAFT_RPC_PORT:-8311}
TIMEOUT=${WEAVIATE_START_TIMEOUT:-120}
PIDFILE=$DATA/weaviate.pid
LOG=$DATA/weaviate.log

log() { echo "weaviate-server: $*" >&2; }

pid() { [[ -f $PIDFILE ]] && grep -qa 'weaviate-server' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

healthy() { [[ -n $(pid) ]] && curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$PORT/v1/.well-known/ready" 2>/dev/null; }

# the module version the binary was built from (go version -m reads it from the binary's build info)
built_version() { go version -m "$BIN" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/weaviate/weaviate" { print $3 }'; }

install() {
  command -v go >/dev/null || { log "go is not on PATH (Go >= 1.25 is needed to build weaviate-server)"; exit 1; }
  if [[ -x $BIN && $(built_version) == "$VERSION" ]]; then
    return 0
  fi
  # go 1.21+ fetches the toolchain weaviate's go.mod asks for (GOTOOLCHAIN=auto); older ones cannot build it
  local gv; gv=$(go env GOVERSION 2>/dev/null || true)
  if [[ ! $gv =~ ^go1\.([0-9]+) ]] || (( BASH_REMATCH[1] < 21 )); then
    log "go ${gv:-of unknown version} cannot build weaviate-server $VERSION: Go >= 1.21 (1.25 or a toolchain download)"
    exit 1
  fi
  log "building weaviate-server $VERSION with $(go version) into $BIN_DIR (takes minutes)"
  mkdir -p "$BIN_DIR"
  # GOFLAGS: no VCS stamping (no git work tree here); GOTOOLCHAIN=auto: an older go fetches the required toolchain
  GOBIN=$BIN_DIR GOFLAGS=${WEAVIATE_GOFLAGS:--buildvcs=false} GOTOOLCHAIN=${GOTOOLCHAIN:-auto} \
    GOPROXY=${GOPROXY:-https://proxy.golang.org,direct} \
    go install "github.com/weaviate/weaviate/cmd/weaviate-server@$VERSION" >&2
  [[ $(built_version) == "$VERSION" ]] || { log "built binary does not report $VERSION"; exit 1; }
}

start() {
  if healthy; then log "already running (pid $(pid))"; return 0; fi
  if [[ -n $(pid) ]]; then log "pid $(pid) alive but not answering; restarting"; stop; fi
  rm -f "$PIDFILE"
  for p in "$PORT" "$GRPC_PORT" "$GOSSIP_PORT" "$DATA_PORT" "$RAFT_PORT" "$RAFT_RPC_PORT"; do
    if port_open "$p"; then log "port $p on 127.0.0.1 already in use"; exit 1; fi
  done
  install
  log "starting on 127.0.0.1:$PORT (gRPC $GRPC_PORT, gossip $GOSSIP_PORT/$DATA_PORT, raft $RAFT_PORT/$RAFT_RPC_PORT;"\
      "data $DATA/db, log $LOG)"
  (
    cd "$DATA"
    export PERSISTENCE_DATA_PATH=$DATA/db AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true \
      DEFAULT_VECTORIZER_MODULE=none ENABLE_MODULES= DISABLE_TELEMETRY=true GO_PROFILING_DISABLE=true \
      QUERY_DEFAULTS_LIMIT=25 GRPC_PORT=$GRPC_PORT CLUSTER_HOSTNAME=node1 CLUSTER_IN_LOCALHOST=true \
      CLUSTER_BIND_ADDR=127.0.0.1 CLUSTER_ADVERTISE_ADDR=127.0.0.1 CLUSTER_GOSSIP_BIND_PORT=$GOSSIP_PORT \
      CLUSTER_DATA_BIND_PORT=$DATA_PORT RAFT_PORT=$RAFT_PORT RAFT_INTERNAL_RPC_PORT=$RAFT_RPC_PORT RAFT_BOOTSTRAP_EXPECT=1
    exec setsid "$BIN" --host 127.0.0.1 --port "$PORT" --scheme http >>"$LOG" 2>&1 </dev/null
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
  log "up after $((SECONDS - t0))s (pid $(pid)), weaviate $(curl -fsS -m 5 "http://127.0.0.1:$PORT/v1/meta" \
      | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')"
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

env_() { echo "export WEAVIATE_URL=http://127.0.0.1:$PORT"; }

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
