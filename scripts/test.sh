#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against real peers on loopback, which this script installs,
# starts and stops again (only those it started: a developer's running server stays up). Extra arguments go to Maven.
#
# Peers, each from its own script (install|start|stop|status|env; their env knobs are in their headers):
#   scripts/milvus-server.sh   Milvus 2.3.5, the target of most tests (MILVUS_URI); a second one keeping its data in
#                              S3Proxy (MILVUS_STORAGE=s3: the remote import path, MILVUS_S3_URI) on S3_MILVUS_PORT
#                              (19540), S3_MILVUS_METRICS_PORT (9101), S3_MILVUS_ETCD_PORT (2399), S3_MILVUS_DATA_DIR
#                              (.peers/milvus-s3-data); a third one the Milvus-to-Milvus copies read from
#                              (MILVUS_SOURCE_URI) on SOURCE_MILVUS_PORT (19550), SOURCE_MILVUS_METRICS_PORT (9111),
#                              SOURCE_MILVUS_ETCD_PORT (2419), SOURCE_MILVUS_DATA_DIR (.peers/milvus-source-data)
#   scripts/milvus-lite.sh     Milvus Lite 3.2, for the types 2.3.5 lacks
#   scripts/azurite.sh, gcs-server.sh, s3-server.sh   Azurite, fake-gcs-server, S3Proxy (storage tests)
#   scripts/mariadb-server.sh  a private MariaDB (Milvus 1.x MySQL catalogues, the MySQL checkpoint store)
#   scripts/es-server.sh       Elasticsearch 8.19 and 7.17, OpenSearch 2.19 (ES_KIND=es8|es7|os2)
#   scripts/chroma-server.sh, pgvector-server.sh      Chroma 1.5, PostgreSQL with pgvector
#   scripts/weaviate-server.sh Weaviate 1.35 (built with `go install` on first use, cached in .peers/weaviate)
# Faiss fixtures are written by real Faiss (scripts/faiss-fixtures.sh, called by the build). Peers that do not depend
# on each other start in the background at once; the Milvus servers start one after another (each moves its internal
# ports to free ones as it starts). A peer that does not come up fails the run.
#
# After `mvn install`: scripts/api-check.sh runs Schemathesis against the built jar's REST server and its OpenAPI
# description (API_CHECK=false skips it), and scripts/consumer-test.sh builds examples/consumer, a user's project
# outside the reactor, against the installed artefacts and runs the README's program in Milvus (CONSUMER_TEST=false
# skips it); scripts/plugin-test.sh builds examples/plugin-csv, a third party's source and transform plug-in, and
# runs it from a migration.yaml through the CLI jar's --plugins folder into Milvus (PLUGIN_TEST=false skips it).
# The job page test installs Debian's chromium and npm playwright-core itself (scripts/browser.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stops=()   # commands that stop what this script started, run in reverse order on exit
# on exit, first let background starts finish (so none comes up after the stops), then stop what was started
trap 'wait || true; for ((i = ${#stops[@]} - 1; i >= 0; i--)); do eval "${stops[$i]}" || true; done' EXIT

s3_milvus="env MILVUS_STORAGE=s3 MILVUS_PORT=${S3_MILVUS_PORT:-19540} MILVUS_METRICS_PORT=${S3_MILVUS_METRICS_PORT:-9101}"
s3_milvus+=" MILVUS_ETCD_PORT=${S3_MILVUS_ETCD_PORT:-2399} MILVUS_DATA_DIR=${S3_MILVUS_DATA_DIR:-.peers/milvus-s3-data}"
s3_milvus+=" scripts/milvus-server.sh"
src_milvus="env MILVUS_PORT=${SOURCE_MILVUS_PORT:-19550} MILVUS_METRICS_PORT=${SOURCE_MILVUS_METRICS_PORT:-9111}"
src_milvus+=" MILVUS_ETCD_PORT=${SOURCE_MILVUS_ETCD_PORT:-2419}"
src_milvus+=" MILVUS_DATA_DIR=${SOURCE_MILVUS_DATA_DIR:-.peers/milvus-source-data} scripts/milvus-server.sh"

declare -A pids   # peer started in the background -> pid
background() {    # background NAME COMMAND: starts the peer unless it runs already
  local name=$1 cmd=$2
  $cmd status >/dev/null 2>&1 && return 0
  stops+=("$cmd stop")
  $cmd start > >(sed -u "s/^/[$name] /") 2>&1 &
  pids[$name]=$!
}
await() {         # await NAME: waits for a background start; fails the run if it failed
  local name=$1
  [[ -n ${pids[$name]:-} ]] || return 0
  wait "${pids[$name]}" || { echo "test.sh: peer $name did not start" >&2; exit 1; }
  unset "pids[$name]"
}
foreground() {    # foreground COMMAND: starts the peer unless it runs already
  local cmd=$1
  $cmd status >/dev/null 2>&1 && return 0
  stops+=("$cmd stop")
  $cmd start
}

for e in azurite gcs-server s3-server mariadb-server milvus-lite chroma-server pgvector-server weaviate-server; do
  background "$e" "scripts/$e.sh"
done
for k in es8 es7 os2; do
  background "$k" "env ES_KIND=$k scripts/es-server.sh"
done
foreground scripts/milvus-server.sh
foreground "$src_milvus"
await s3-server
eval "$(scripts/s3-server.sh env)"   # the S3-backed Milvus keeps its data there
foreground "$s3_milvus"
for name in "${!pids[@]}"; do
  await "$name"
done

eval "$(scripts/milvus-server.sh env)"
eval "$($s3_milvus env)"
MILVUS_SOURCE_URI=$($src_milvus env | sed -n 's/^export MILVUS_URI=//p')
export MILVUS_SOURCE_URI
for e in azurite gcs-server s3-server mariadb-server milvus-lite chroma-server pgvector-server weaviate-server; do
  eval "$(scripts/$e.sh env)"
done
for k in es8 es7 os2; do
  eval "$(ES_KIND=$k scripts/es-server.sh env)"
done

mvn -B install "$@"
if [[ ${API_CHECK:-true} != false ]]; then
  scripts/api-check.sh
fi
if [[ ${CONSUMER_TEST:-true} != false ]]; then
  repo_local=()   # the consumer resolves from the local repository the reactor was installed into
  for a in "$@"; do [[ $a == -Dmaven.repo.local=* ]] && repo_local+=("$a"); done
  CONSUMER_MVN_ARGS="${repo_local[*]-}" scripts/consumer-test.sh
fi
if [[ ${PLUGIN_TEST:-true} != false ]]; then
  repo_local=()   # the plug-in builds against the local repository the reactor was installed into
  for a in "$@"; do [[ $a == -Dmaven.repo.local=* ]] && repo_local+=("$a"); done
  PLUGIN_MVN_ARGS="${repo_local[*]-}" scripts/plugin-test.sh
fi
