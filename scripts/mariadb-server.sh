#!/usr/bin/env bash
# A private MariaDB (Debian package mariadb-server) on loopback, for the Milvus 1.x MySQL-catalogue tests.
#
#   scripts/mariadb-server.sh install|start|stop|status|env
#   eval "$(scripts/mariadb-server.sh env)"   # -> MILVUS1_MYSQL_URL, MILVUS1_MYSQL_USER, MILVUS1_MYSQL_PASSWORD
#
# The data directory (.peers/mariadb-data, or MARIADB_DATA_DIR) is created with mariadb-install-db on first start;
# mariadbd listens on 127.0.0.1:$MARIADB_PORT (3307) with its socket and pid file in that directory, so it runs
# beside any system MySQL/MariaDB. It runs as the calling user (root in CI: then with --user=root, which mariadbd
# otherwise refuses). Each start (re)creates the test database and user; the user may also create and drop
# databases named <database>_* (tests give each catalogue its own).
# Env knobs: MARIADB_PORT, MARIADB_DATA_DIR, MARIADB_DATABASE (milvus), MARIADB_USER (milvus1),
#   MARIADB_PASSWORD (a test-only password), MARIADB_START_TIMEOUT (s, 60).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=$(mkdir -p "${MARIADB_DATA_DIR:-$REPO/.peers/mariadb-data}" && cd "${MARIADB_DATA_DIR:-$REPO/.peers/mariadb-data}" && pwd)
PORT=${MARIADB_PORT:-3307}
DATABASE=${MARIADB_DATABASE:-milvus}
DB_USER=${MARIADB_USER:-milvus1}
DB_PASSWORD=${MARIADB_PASSWORD:-milvus1-test-pw}
TIMEOUT=${MARIADB_START_TIMEOUT:-60}
DB=$DATA/db
SOCKET=$DATA/mariadb.sock
PIDFILE=$DATA/mariadb.pid
LOG=$DATA/mariadb.log

log() { echo "mariadb-server: $*" >&2; }

pid() { [[ -f $PIDFILE ]] && grep -qa 'mariadbd\|mysqld' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Statements as the server's root over the socket (unix_socket authentication of the OS user running it).
admin() { mariadb --no-defaults --protocol=socket --socket="$SOCKET" -uroot "$@"; }

alive() { [[ -n $(pid) ]] && mariadb-admin --no-defaults --protocol=socket --socket="$SOCKET" -uroot ping >/dev/null 2>&1; }

install() {
  if command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null && command -v mariadb >/dev/null; then
    return 0
  fi
  log "installing Debian package mariadb-server"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  # The package's own service is not started in a container without systemd; we run our own server anyway.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server mariadb-client >&2
}

# The test database and user (idempotent; also run against a server that was already up).
setup() {
  admin <<SQL
CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$DATABASE\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DATABASE}\\_%\`.* TO '$DB_USER'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
}

start() {
  if alive; then log "already running (pid $(pid))"; setup; return 0; fi
  if [[ -n $(pid) ]]; then log "pid $(pid) alive but not answering; restarting"; stop; fi
  rm -f "$PIDFILE"
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  local as=()
  [[ $(id -u) == 0 ]] && as=(--user=root)
  if [[ ! -d $DB/mysql ]]; then
    log "initialising $DB"
    mkdir -p "$DB"
    mariadb-install-db --no-defaults "${as[@]}" --datadir="$DB" --auth-root-authentication-method=socket \
      --skip-test-db >"$DATA/install-db.log" 2>&1 || { tail -n 30 "$DATA/install-db.log" >&2; exit 1; }
  fi
  log "starting on 127.0.0.1:$PORT (data $DB, log $LOG)"
  (
    exec setsid mariadbd --no-defaults "${as[@]}" --datadir="$DB" --bind-address=127.0.0.1 --port="$PORT" \
      --socket="$SOCKET" --pid-file="$PIDFILE" --log-error="$LOG" --skip-name-resolve \
      --character-set-server=utf8mb4 >>"$LOG" 2>&1 </dev/null
  ) &
  local started=$! t0=$SECONDS
  until alive; do
    if ! kill -0 "$started" 2>/dev/null || (( SECONDS - t0 > TIMEOUT )); then
      log "FAILED to come up within ${TIMEOUT}s; last log lines:"; tail -n 30 "$LOG" >&2
      stop || true; exit 1
    fi
    sleep 0.5
  done
  setup
  log "up after $((SECONDS - t0))s (pid $(pid)), database $DATABASE, user $DB_USER"
}

stop() {
  local p; p=$(pid) || { log "not running"; return 0; }
  kill -TERM "$p" || true
  for _ in $(seq 1 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$p" 2>/dev/null || true
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if alive; then echo "running pid=$(pid) url=jdbc:mariadb://127.0.0.1:$PORT/$DATABASE"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() {
  echo "export MILVUS1_MYSQL_URL=jdbc:mariadb://127.0.0.1:$PORT/$DATABASE"
  printf 'export MILVUS1_MYSQL_USER=%q\n' "$DB_USER"
  printf 'export MILVUS1_MYSQL_PASSWORD=%q\n' "$DB_PASSWORD"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
