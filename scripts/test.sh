#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real Milvus 2.3.5 on loopback, which this script
# installs and starts (scripts/milvus-server.sh) and stops again. Faiss fixtures are written by real Faiss
# (scripts/faiss-fixtures.sh); Azurite, fake-gcs-server and S3Proxy (scripts/azurite.sh, scripts/gcs-server.sh,
# scripts/s3-server.sh) serve the storage tests, and a second Milvus keeping its data in S3Proxy (milvus-server.sh
# with MILVUS_STORAGE=s3) the remote import path; a private MariaDB (scripts/mariadb-server.sh) holds the Milvus 1.x
# MySQL catalogues; a Chroma 1.5 server (scripts/chroma-server.sh) and a PostgreSQL with pgvector
# (scripts/pgvector-server.sh) serve the Chroma and pgvector sources, started in the background while the others come
# up. The reactor is installed (`mvn install`), then scripts/consumer-test.sh builds examples/consumer,
# a user's project outside the reactor, against the installed artefacts and runs the README's program in Milvus
# (CONSUMER_TEST=false skips that step). Extra arguments go to Maven.
# The second Milvus's ports and data dir: S3_MILVUS_PORT (19540), S3_MILVUS_METRICS_PORT (9101), S3_MILVUS_ETCD_PORT
# (2399), S3_MILVUS_DATA_DIR (.peers/milvus-s3-data); the other peers take their scripts' own env knobs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
trap '$s3_milvus_started && "${s3_milvus[@]}" stop; for e in ${emulators[@]+"${emulators[@]}"}; do scripts/$e.sh stop; done; $started && scripts/milvus-server.sh stop' EXIT
eval "$(scripts/milvus-server.sh env)"
# Chroma and PostgreSQL install (pip) and start in the background meanwhile; their status is checked first so a
# developer's running server stays up.
vector_peers=()   # chroma-server, pgvector-server: the ones to start here
for e in chroma-server pgvector-server; do
  scripts/$e.sh status >/dev/null 2>&1 || vector_peers+=("$e")
done
vector_pids=()
for e in ${vector_peers[@]+"${vector_peers[@]}"}; do
  scripts/$e.sh start & vector_pids+=($!)
  emulators+=("$e")
done
for e in azurite gcs-server s3-server mariadb-server; do   # mariadb-server: Milvus 1.x MySQL catalogue
  scripts/$e.sh status >/dev/null 2>&1 || { scripts/$e.sh start; emulators+=("$e"); }
  eval "$(scripts/$e.sh env)"
done
"${s3_milvus[@]}" status >/dev/null 2>&1 || { "${s3_milvus[@]}" start; s3_milvus_started=true; }
eval "$("${s3_milvus[@]}" env)"
for p in ${vector_pids[@]+"${vector_pids[@]}"}; do wait "$p"; done   # fails the run (set -e) if one did not start
for e in chroma-server pgvector-server; do eval "$(scripts/$e.sh env)"; done
mvn -B install "$@"
if [[ ${CONSUMER_TEST:-true} != false ]]; then
  repo_local=()   # the consumer resolves from the local repository the reactor was installed into
  for a in "$@"; do [[ $a == -Dmaven.repo.local=* ]] && repo_local+=("$a"); done
  CONSUMER_MVN_ARGS="${repo_local[*]-}" scripts/consumer-test.sh
fi
