#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real Milvus 2.3.5 on loopback, which this script
# installs and starts (scripts/milvus-server.sh) and stops again. Faiss fixtures are written by real Faiss
# (scripts/faiss-fixtures.sh); Azurite, fake-gcs-server and S3Proxy (scripts/azurite.sh, scripts/gcs-server.sh,
# scripts/s3-server.sh) serve the storage tests, and a second Milvus keeping its data in S3Proxy (milvus-server.sh
# with MILVUS_STORAGE=s3) the remote import path; a private MariaDB (scripts/mariadb-server.sh) holds the Milvus 1.x
# MySQL catalogues. The reactor is installed (`mvn install`), then scripts/consumer-test.sh builds examples/consumer,
# a user's project outside the reactor, against the installed artefacts and runs the README's program in Milvus
# (CONSUMER_TEST=false skips that step). Extra arguments go to Maven.
# Elasticsearch 8.19 and 7.17 and OpenSearch 2.19 (scripts/es-server.sh, ES_KIND=es8|es7|os2, on 9250/9260/9270) serve
# the Elasticsearch source's tests; they start in parallel with the rest and are stopped on exit if started here.
# The second Milvus's ports and data dir: S3_MILVUS_PORT (19540), S3_MILVUS_METRICS_PORT (9101), S3_MILVUS_ETCD_PORT
# (2399), S3_MILVUS_DATA_DIR (.peers/milvus-s3-data); the other peers take their scripts' own env knobs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The search servers take a minute each to boot: started in the background first, waited for before Maven.
es_started=()
es_pids=()
for k in es8 es7 os2; do
  if ! ES_KIND=$k scripts/es-server.sh status >/dev/null 2>&1; then
    es_started+=("$k")
    ES_KIND=$k scripts/es-server.sh start & es_pids+=($!)
  fi
done
stop_es() { for k in ${es_started[@]+"${es_started[@]}"}; do ES_KIND=$k scripts/es-server.sh stop || true; done; }
trap stop_es EXIT
started=false
if ! scripts/milvus-server.sh status >/dev/null 2>&1; then
  scripts/milvus-server.sh start
  started=true
fi
# Stop only a server this script started; a developer's running server stays up.
emulators=()   # peers this script started (Azurite, fake-gcs-server, S3Proxy, MariaDB)
# A second Milvus whose object storage is the S3 server (the remote import path), on its own ports and data dir.
s3_milvus=(env MILVUS_STORAGE=s3 MILVUS_PORT="${S3_MILVUS_PORT:-19540}" MILVUS_METRICS_PORT="${S3_MILVUS_METRICS_PORT:-9101}"
  MILVUS_ETCD_PORT="${S3_MILVUS_ETCD_PORT:-2399}" MILVUS_DATA_DIR="${S3_MILVUS_DATA_DIR:-.peers/milvus-s3-data}"
  scripts/milvus-server.sh)
s3_milvus_started=false
trap 'stop_es; $s3_milvus_started && "${s3_milvus[@]}" stop; for e in ${emulators[@]+"${emulators[@]}"}; do scripts/$e.sh stop; done; $started && scripts/milvus-server.sh stop' EXIT
eval "$(scripts/milvus-server.sh env)"
for e in azurite gcs-server s3-server mariadb-server; do   # mariadb-server: Milvus 1.x MySQL catalogue
  scripts/$e.sh status >/dev/null 2>&1 || { scripts/$e.sh start; emulators+=("$e"); }
  eval "$(scripts/$e.sh env)"
done
"${s3_milvus[@]}" status >/dev/null 2>&1 || { "${s3_milvus[@]}" start; s3_milvus_started=true; }
eval "$("${s3_milvus[@]}" env)"
for p in ${es_pids[@]+"${es_pids[@]}"}; do wait "$p"; done   # a search server that did not come up fails the run
for k in es8 es7 os2; do eval "$(ES_KIND=$k scripts/es-server.sh env)"; done
mvn -B install "$@"
if [[ ${CONSUMER_TEST:-true} != false ]]; then
  repo_local=()   # the consumer resolves from the local repository the reactor was installed into
  for a in "$@"; do [[ $a == -Dmaven.repo.local=* ]] && repo_local+=("$a"); done
  CONSUMER_MVN_ARGS="${repo_local[*]-}" scripts/consumer-test.sh
fi
