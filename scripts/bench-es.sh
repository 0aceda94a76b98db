#!/usr/bin/env bash
# Benchmark of the Elasticsearch source: an Elasticsearch 8.19 index of BENCH_ES_DOCS documents (1000000) x
# BENCH_ES_DIM (128) float vectors + 3 scalar fields (keyword, long, date), indexed once and kept in the test
# server's data dir; then rows/s of the source alone and of a whole migration into Milvus by bulk import (JSON rows),
# with 1 and 4 slices (migration-bench's EsBench).
#   scripts/bench-es.sh
# Starts the es8 server (scripts/es-server.sh) and Milvus (scripts/milvus-server.sh, its own env knobs) if they are
# not running, and stops what it started. ES_HEAP (default here 1g) sizes the Elasticsearch heap of a start.
# BENCH_ES_LOAD_ONLY=1 skips the source-alone figures. BENCH_MVN_FLAGS: extra Maven flags (e.g. -o -Dmaven.repo.local=...).
# The old Go tool (milvus-migration's ES reader) is not timed: its module dependencies are not served by the Go
# module proxy here, so it cannot be built.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
DOCS=${BENCH_ES_DOCS:-1000000}
DIM=${BENCH_ES_DIM:-128}
started=()
cleanup() {
  for s in ${started[@]+"${started[@]}"}; do
    if [[ $s == milvus ]]; then scripts/milvus-server.sh stop; else ES_KIND=es8 scripts/es-server.sh stop; fi
  done
}
trap cleanup EXIT
if ! ES_KIND=es8 scripts/es-server.sh status >/dev/null 2>&1; then
  ES_HEAP=${ES_HEAP:-1g} ES_KIND=es8 scripts/es-server.sh start; started+=(es8)
fi
if ! scripts/milvus-server.sh status >/dev/null 2>&1; then
  scripts/milvus-server.sh start; started+=(milvus)
fi
eval "$(ES_KIND=es8 scripts/es-server.sh env)"
eval "$(scripts/milvus-server.sh env)"
echo "bench-es: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $DOCS docs x $DIM dims"
mvn -B -q ${BENCH_MVN_FLAGS:-} install -DskipTests -pl migration-bench -am
mvn -B -q ${BENCH_MVN_FLAGS:-} -pl migration-bench exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
  -Dexec.outputFile="$REPO/migration-bench/target/bench-es.classpath"
java -Xmx2g -cp "$(cat "$REPO/migration-bench/target/bench-es.classpath")" io.milvus.migration.bench.EsBench \
  "$ES8_URL" "$MILVUS_URI" "$MILVUS_IMPORT_ROOT/es-bench" "$DOCS" "$DIM" ${BENCH_ES_LOAD_ONLY:+load-only}
