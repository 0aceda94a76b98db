#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real Milvus 2.3.5 on loopback, which this script
# installs and starts (scripts/milvus-server.sh) and stops again. Faiss fixtures are written by real Faiss
# (scripts/faiss-fixtures.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=false
if ! scripts/milvus-server.sh status >/dev/null 2>&1; then
  scripts/milvus-server.sh start
  started=true
fi
# Stop only a server this script started; a developer's running server stays up.
trap '$started && scripts/milvus-server.sh stop' EXIT
eval "$(scripts/milvus-server.sh env)"
mvn -B verify "$@"
