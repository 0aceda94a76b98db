#!/usr/bin/env bash
# Real Elasticsearch 8.19 / 7.17 and OpenSearch 2.19 (with the k-NN plugin) on loopback, for tests and benchmarks.
#
#   ES_KIND=es8|es7|os2 scripts/es-server.sh install|start|stop|status|env
#   eval "$(ES_KIND=es8 scripts/es-server.sh env)"   # -> ES8_URL (ES7_URL, OS2_URL for the other kinds)
#
# The servers are the "integ-test-zip" distributions from Maven Central (no bundled JDK, few modules):
#   es8  org.elasticsearch.distribution.integ-test-zip:elasticsearch:8.19.21:zip   HTTP 9250, transport 9350
#   es7  org.elasticsearch.distribution.integ-test-zip:elasticsearch:7.17.29:zip   HTTP 9260, transport 9360
#   os2  org.opensearch.distribution.integ-test-zip:opensearch:2.19.1:zip          HTTP 9270, transport 9370
#        + plugin org.opensearch.plugin:opensearch-knn:2.19.1.0:zip, which extends the lang-painless module that
#        this zip lacks: the module is assembled from its Maven jars (lang-painless, its SPI, antlr4-runtime, asm)
#        with a plugin descriptor. The zip has no native faiss/nmslib libraries: k-NN fields need engine: lucene
#        (a knn_vector on the default faiss engine kills the node at its first refresh, and again at each start
#        while the index is on disk: stop, delete .peers/os2-data, start).
# The ports stay clear of a developer's own 9200/9300. Facts of these builds: GET / answers 405 (ask
# GET /_nodes/_local for the version); 7.17 has no dense_vector; 8.19 has dense_vector, sparse_vector and PIT.
# Downloads are cached in .peers/dl. The server runs on the system Java 17 (ES_JAVA_HOME / OPENSEARCH_JAVA_HOME
# from JAVA_HOME or `java` on the PATH), security off, single node, bound to 127.0.0.1, heap ES_HEAP (512m). It
# refuses to run as root: as root this script creates the user ES_RUN_USER (esrun) and runs the server as it.
# Env knobs: ES_KIND (es8), ES_VERSION (the kind's version), ES_HTTP_PORT, ES_TRANSPORT_PORT, ES_DATA_DIR
#   (.peers/<kind>-data), ES_HEAP (512m), ES_RUN_USER (esrun), ES_START_TIMEOUT (s, 180).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS=$REPO/.peers
DL=$PEERS/dl
CENTRAL=${MAVEN_CENTRAL_URL:-https://repo1.maven.org/maven2}
KIND=${ES_KIND:-es8}
case $KIND in
  es8) FLAVOUR=elasticsearch; VERSION=${ES_VERSION:-8.19.21}; DEF_HTTP=9250; DEF_TRANSPORT=9350 ;;
  es7) FLAVOUR=elasticsearch; VERSION=${ES_VERSION:-7.17.29}; DEF_HTTP=9260; DEF_TRANSPORT=9360 ;;
  os2) FLAVOUR=opensearch; VERSION=${ES_VERSION:-2.19.1}; DEF_HTTP=9270; DEF_TRANSPORT=9370 ;;
  *) echo "es-server: ES_KIND must be es8, es7 or os2: $KIND" >&2; exit 2 ;;
esac
HTTP_PORT=${ES_HTTP_PORT:-$DEF_HTTP}
TRANSPORT_PORT=${ES_TRANSPORT_PORT:-$DEF_TRANSPORT}
HEAP=${ES_HEAP:-512m}
RUN_USER=${ES_RUN_USER:-esrun}
TIMEOUT=${ES_START_TIMEOUT:-180}
HOME_DIR=$PEERS/$FLAVOUR-$VERSION
DATA=$(mkdir -p "${ES_DATA_DIR:-$PEERS/$KIND-data}" && cd "${ES_DATA_DIR:-$PEERS/$KIND-data}" && pwd)
PIDFILE=$DATA/server.pid
LOG=$DATA/server.out
URL=http://127.0.0.1:$HTTP_PORT
VAR=$(echo "$KIND" | tr a-z A-Z)_URL

log() { echo "es-server($KIND): $*" >&2; }

pid() { [[ -f $PIDFILE ]] && grep -qa 'org.elasticsearch\|org.opensearch' "/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null && cat "$PIDFILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

healthy() {
  [[ -n $(pid) ]] || return 1
  curl -fsS -m 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null | grep -q '"status":"\(green\|yellow\)"'
}

# Fetches group:artifact:version:packaging from Maven Central into .peers/dl (cached), prints the file's path.
fetch() {
  local g=$1 a=$2 v=$3 p=$4 f="$DL/$2-$3.$4"
  if [[ ! -s $f ]]; then
    mkdir -p "$DL"
    log "downloading $g:$a:$v:$p"
    curl -fsSL --retry 3 -o "$f.part" "$CENTRAL/${g//.//}/$a/$v/$a-$v.$p"
    mv "$f.part" "$f"
  fi
  echo "$f"
}

java_home() {
  if [[ -n ${JAVA_HOME:-} ]]; then echo "$JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

# The lang-painless module of OpenSearch from its Maven jars; the k-NN plugin extends it.
painless_module() {
  local m=$HOME_DIR/modules/lang-painless
  [[ -f $m/plugin-descriptor.properties ]] && return 0
  mkdir -p "$m.part"
  cp "$(fetch org.opensearch.plugin lang-painless "$VERSION" jar)" \
     "$(fetch org.opensearch.plugin opensearch-scripting-painless-spi "$VERSION" jar)" \
     "$(fetch org.antlr antlr4-runtime 4.13.1 jar)" "$m.part/"
  for a in asm asm-util asm-tree asm-commons asm-analysis; do cp "$(fetch org.ow2.asm $a 9.7 jar)" "$m.part/"; done
  cat >"$m.part/plugin-descriptor.properties" <<EOF
description=An easy, safe and fast scripting language for OpenSearch
version=$VERSION
name=lang-painless
classname=org.opensearch.painless.PainlessPlugin
java.version=11
opensearch.version=$VERSION
extended.plugins=
has.native.controller=false
EOF
  cat >"$m.part/plugin-security.policy" <<'EOF'
grant {
  // painless compiles scripts into classes of its own loader
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
  mv "$m.part" "$m"
}

install() {
  if [[ ! -x $HOME_DIR/bin/$FLAVOUR ]]; then
    local zip; zip=$(fetch "org.$FLAVOUR.distribution.integ-test-zip" "$FLAVOUR" "$VERSION" zip)
    log "unpacking $zip"
    rm -rf "$HOME_DIR.part" && mkdir -p "$HOME_DIR.part"
    unzip -q "$zip" -d "$HOME_DIR.part"
    mv "$HOME_DIR.part/$FLAVOUR-$VERSION" "$HOME_DIR" && rm -rf "$HOME_DIR.part"
  fi
  if [[ $FLAVOUR == opensearch ]]; then
    painless_module
    if [[ ! -d $HOME_DIR/plugins/opensearch-knn ]]; then
      local knn; knn=$(fetch org.opensearch.plugin opensearch-knn "$VERSION.0" zip)
      mkdir -p "$HOME_DIR/plugins/opensearch-knn.part"
      unzip -q "$knn" -d "$HOME_DIR/plugins/opensearch-knn.part"
      mv "$HOME_DIR/plugins/opensearch-knn.part" "$HOME_DIR/plugins/opensearch-knn"
    fi
  fi
}

write_config() {
  mkdir -p "$DATA/config" "$DATA/data" "$DATA/logs"
  cp -r "$HOME_DIR/config/." "$DATA/config/"
  local conf=$DATA/config/$FLAVOUR.yml
  {
    echo "cluster.name: migration-test-$KIND"
    echo "node.name: node-$KIND"
    echo "network.host: 127.0.0.1"
    echo "http.port: $HTTP_PORT"
    echo "transport.port: $TRANSPORT_PORT"
    echo "discovery.type: single-node"
    echo "path.data: $DATA/data"
    echo "path.logs: $DATA/logs"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.destructive_requires_name: false"
    if [[ $FLAVOUR == elasticsearch ]]; then
      echo "xpack.security.enabled: false"
    fi
  } >"$conf"
  # a heap of its own, not the distribution's default of half the machine
  grep -v '^-Xm[sx]' "$HOME_DIR/config/jvm.options" >"$DATA/config/jvm.options"
}

run_as() {
  if [[ $(id -u) == 0 ]]; then
    id "$RUN_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
    chown -R "$RUN_USER" "$DATA" "$HOME_DIR"
    setsid runuser -u "$RUN_USER" -- "$@"
  else
    setsid "$@"
  fi
}

start() {
  if healthy; then log "already running (pid $(pid))"; return 0; fi
  if [[ -n $(pid) ]]; then log "pid $(pid) alive but not healthy; restarting"; stop; fi
  rm -f "$PIDFILE"
  for p in "$HTTP_PORT" "$TRANSPORT_PORT"; do
    if port_open "$p"; then log "port $p on 127.0.0.1 already in use"; exit 1; fi
  done
  install
  write_config
  log "starting $FLAVOUR $VERSION on $URL (data $DATA, log $LOG)"
  local jh; jh=$(java_home)
  local conf_var=ES_PATH_CONF java_var=ES_JAVA_HOME opts_var=ES_JAVA_OPTS
  if [[ $FLAVOUR == opensearch ]]; then conf_var=OPENSEARCH_PATH_CONF java_var=OPENSEARCH_JAVA_HOME opts_var=OPENSEARCH_JAVA_OPTS; fi
  # setsid: own session, survives the calling shell; the server writes its own pid file (-p)
  run_as env "$conf_var=$DATA/config" "$java_var=$jh" "$opts_var=-Xms$HEAP -Xmx$HEAP" \
    "$HOME_DIR/bin/$FLAVOUR" -p "$PIDFILE" >>"$LOG" 2>&1 </dev/null &
  local launcher=$!
  local t0=$SECONDS
  until healthy; do
    if (( SECONDS - t0 > TIMEOUT )) || { [[ -z $(pid) ]] && ! kill -0 "$launcher" 2>/dev/null; }; then
      log "FAILED to come up within ${TIMEOUT}s; last log lines:"; tail -n 40 "$LOG" >&2
      stop || true; exit 1
    fi
    sleep 1
  done
  log "healthy after $((SECONDS - t0))s (pid $(pid))"
}

stop() {
  local p; p=$(pid) || { log "not running"; rm -f "$PIDFILE"; return 0; }
  kill -TERM "$p" || true
  local waited=0
  while kill -0 "$p" 2>/dev/null && (( waited < 150 )); do sleep 0.2; waited=$((waited + 1)); done
  kill -KILL "$p" 2>/dev/null || true
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  rm -f "$PIDFILE"; log "stopped"
}

status() {
  if healthy; then echo "running pid=$(pid) url=$URL"; return 0; fi
  if [[ -n $(pid) ]]; then echo "unhealthy pid=$(pid)"; return 1; fi
  echo "stopped"; return 3
}

env_() {
  echo "export $VAR=$URL"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: ES_KIND=es8|es7|os2 $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
