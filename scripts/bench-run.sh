#!/usr/bin/env bash
# Benchmark: a Faiss IVF_FLAT index into the real Milvus 2.3.5 by bulk import, end to end, in interleaved rounds:
# serial (dump all, then load: how run worked before imports overlapped reading), pipelined run, pipelined run with
# job state in SQLite, and pipelined run with a staging bound smaller than the data (peak sampled).
#   scripts/bench-run.sh [N [DIM [ROUNDS]]]        defaults 1000000 128 3 (or BENCH_N, BENCH_DIM, BENCH_ROUNDS)
# Starts the test Milvus (scripts/milvus-server.sh) if it is not running and stops it again. Goals: serial /
# pipelined >= 1.3; staging peak within the bound (BENCH_JAVA_OPTS="-Dbench.maxStagedBytes=..."); SQLite
# bookkeeping < 2 % of the run. Exits 1 if a goal is missed. Extra Maven flags: BENCH_MVN_FLAGS.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-${BENCH_N:-1000000}}
DIM=${2:-${BENCH_DIM:-128}}
ROUNDS=${3:-${BENCH_ROUNDS:-3}}
DIR=$REPO/.peers/bench
INDEX=$DIR/ivfflat-${N}x${DIM}.index
mkdir -p "$DIR"
if [[ ! -f $INDEX ]]; then
  echo "bench-run: writing $INDEX with real Faiss" >&2
  bash "$REPO/scripts/faiss-fixtures.sh" --bench "$N" "$DIM" "$INDEX.tmp"
  mv "$INDEX.tmp" "$INDEX"
fi
started=false
if ! "$REPO/scripts/milvus-server.sh" status >/dev/null 2>&1; then
  "$REPO/scripts/milvus-server.sh" start
  started=true
fi
trap '$started && "$REPO/scripts/milvus-server.sh" stop' EXIT
eval "$("$REPO/scripts/milvus-server.sh" env)"
cd "$REPO"
# shellcheck disable=SC2086
mvn -B -q ${BENCH_MVN_FLAGS:-} install -DskipTests -pl migration-bench -am
# shellcheck disable=SC2086
mvn -B -q ${BENCH_MVN_FLAGS:-} -pl migration-bench exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
  -Dexec.outputFile="$REPO/migration-bench/target/bench-run.classpath"
LIB=$REPO/migration-bench/target/bench-run-lib   # private copies: a concurrent `mvn install` cannot swap them
rm -rf "$LIB" && mkdir -p "$LIB"
cp "$REPO"/migration-bench/target/migration-bench-*.jar "$LIB/bench.jar"
CP=$LIB/bench.jar
IFS=: read -ra entries < "$REPO/migration-bench/target/bench-run.classpath"
for e in "${entries[@]}"; do
  [[ $e == *.jar ]] || continue
  cp "$e" "$LIB/" && CP=$CP:$LIB/$(basename "$e")
done
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -cp "$CP" io.milvus.migration.bench.RunBench "$INDEX" "$MILVUS_URI" "$MILVUS_IMPORT_ROOT" \
  "$ROUNDS"
