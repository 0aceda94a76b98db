#!/usr/bin/env bash
# Real S3 server for tests: S3Proxy (Maven org.gaul:s3proxy, jar-with-dependencies) on loopback, filesystem backend.
#
#   scripts/s3-server.sh install|start|stop|status|env
#   eval "$(scripts/s3-server.sh env)"   # -> S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, S3_REGION, ...
#
# Env knobs: S3_PORT (9400), S3_DATA_DIR (default $REPO/.peers/s3-data; one directory per bucket),
#   S3_BUCKET (test bucket created on start, "migration-test"), S3_START_TIMEOUT (s, 60).
# Credentials are fixed test values (below); the server accepts AWS signature v2 and v4, path-style requests.
# The bucket is created by this script (a PUT of the bucket), so Milvus and the tests find it.
set -euo pipefail

S3PROXY_VERSION=3.3.0
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS=$REPO/.peers
JAR=$PEERS/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
DATA=$(mkdir -p "${S3_DATA_DIR:-$PEERS/s3-data}" && cd "${S3_DATA_DIR:-$PEERS/s3-data}" && pwd)
PORT=${S3_PORT:-9400}
BUCKET=${S3_BUCKET:-migration-test}
TIMEOUT=${S3_START_TIMEOUT:-60}
ACCESS_KEY=migration-test-ak
SECRET_KEY=migration-test-sk-0123456789
PIDFILE=$DATA/s3proxy.pid
LOG=$DATA/s3proxy.log
CONF=$DATA/s3proxy.conf

log() { echo "s3-server: $*" >&2; }

pid() { [[ -f $PIDFILE ]] && grep -qa 's3proxy' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Any HTTP answer from the S3 port (an anonymous request gets 403 AccessDenied) means it is serving.
healthy() {
  [[ -n $(pid) ]] || return 1
  local code; code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/" 2>/dev/null) || return 1
  [[ $code =~ ^[2-5][0-9][0-9]$ ]]
}

install() {
  if [[ ! -s $JAR ]]; then
    log "fetching org.gaul:s3proxy:$S3PROXY_VERSION (jar-with-dependencies) into $PEERS"
    mkdir -p "$PEERS"
    mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
      -DoutputDirectory="$PEERS" -Dmdep.overWriteReleases=true >&2
  fi
}

write_config() {
  mkdir -p "$DATA/blobs"
  cat >"$CONF" <<EOF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$DATA/blobs
EOF
}

# Creates the test bucket with a signed request (aws-sigv4 in curl); 200 or "already owned" both mean it exists.
create_bucket() {
  local code
  code=$(curl -s -m 10 -o "$DATA/create-bucket.out" -w '%{http_code}' -X PUT \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" "http://127.0.0.1:$PORT/$BUCKET")
  if [[ $code != 200 && $code != 409 ]]; then
    log "creating bucket $BUCKET failed with HTTP $code: $(cat "$DATA/create-bucket.out")"; return 1
  fi
}

start() {
  if healthy; then log "already running (pid $(pid))"; create_bucket; return 0; fi
  rm -f "$PIDFILE"
  if port_open "$PORT"; then log "port $PORT on 127.0.0.1 already in use"; exit 1; fi
  install
  write_config
  log "starting S3Proxy $S3PROXY_VERSION on 127.0.0.1:$PORT (data $DATA/blobs, log $LOG)"
  (
    exec setsid java -Xmx512m -jar "$JAR" --properties "$CONF" >>"$LOG" 2>&1 </dev/null
  ) &
  echo $! >"$PIDFILE"
  local t0=$SECONDS
  until healthy; do
    if [[ -z $(pid) ]] || (( SECONDS - t0 > TIMEOUT )); then
      log "FAILED to come up within ${TIMEOUT}s; last log lines:"; tail -n 40 "$LOG" >&2
      stop || true; exit 1
    fi
    sleep 0.5
  done
  create_bucket
  log "healthy after $((SECONDS - t0))s (pid $(pid)), bucket $BUCKET"
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  kill -TERM "$p" || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if healthy; then echo "running pid=$(pid) endpoint=http://127.0.0.1:$PORT"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() {
  echo "export S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "export S3_HOST=127.0.0.1"
  echo "export S3_PORT=$PORT"
  echo "export S3_ACCESS_KEY=$ACCESS_KEY"
  echo "export S3_SECRET_KEY=$SECRET_KEY"
  echo "export S3_BUCKET=$BUCKET"
  echo "export S3_REGION=us-east-1"
  printf 'export S3_DATA_DIR=%q\n' "$DATA"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
