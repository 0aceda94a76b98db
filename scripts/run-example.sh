#!/usr/bin/env bash
# A real migration on the embedded default: starts the local Milvus 2.3.5 (scripts/milvus-server.sh), writes a Faiss
# IVF index with real Faiss, and migrates it through Migration.builder() (examples/.../FaissToMilvus.java), which
# prints the report. The server keeps running afterwards; stop it with scripts/milvus-server.sh stop.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/milvus-server.sh start
eval "$(scripts/milvus-server.sh env)"
work=$(mktemp -d)
scripts/faiss-fixtures.sh "$work" --only idmap_ivfflat >/dev/null
mvn -B -q install -DskipTests -pl examples -am
mvn -B -q exec:java -pl examples -Dexec.args="$work/idmap_ivfflat.index $MILVUS_URI faiss_example"
