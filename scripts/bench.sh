#!/usr/bin/env bash
# Benchmark: Faiss IVF_FLAT -> NumPy dump through the library against a plain copy of the same file.
#   scripts/bench.sh [N [DIM [ROUNDS]]]          defaults 1000000 128 3 (or BENCH_N, BENCH_DIM, BENCH_ROUNDS)
# The index is written once with real Faiss into .peers/bench/ (kept for reuse, ~4*N*(DIM+2) bytes); copies and
# dumps go to BENCH_OUT (default .peers/bench/out) and are deleted after each step. Prints the median MB/s of a
# FileChannel.transferTo copy, a 1 MiB buffered stream copy and the migration (page cache warm, no fsync), the ratios
# and the migration JVM's peak heap, then PASS/FAIL (migration/stream copy >= 0.7, heap < 512 MiB); exits 1 on FAIL.
# Extra Maven flags (e.g. -o): BENCH_MVN_FLAGS. JVM settings: BENCH_JAVA_OPTS, such as "-Dbench.copy=transferTo"
# (gate on the in-kernel copy instead), "-Dbench.parallelism=2 -Dbench.batchBytes=8388608 -Dbench.xmx=512m".
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-${BENCH_N:-1000000}}
DIM=${2:-${BENCH_DIM:-128}}
ROUNDS=${3:-${BENCH_ROUNDS:-3}}
DIR=$REPO/.peers/bench
OUT=${BENCH_OUT:-$DIR/out}
INDEX=$DIR/ivfflat-${N}x${DIM}.index
mkdir -p "$DIR" "$OUT"

# one copy or dump (about the index's size) at a time in OUT, plus the index if it is not cached yet
need_mb=$(( N * (DIM + 2) * 4 / 1000000 + 64 ))
[[ -f $INDEX ]] || need_mb=$(( need_mb * 2 ))
avail_mb=$(df -Pm "$OUT" | awk 'NR == 2 {print $4}')
df -h "$OUT" | sed 's/^/bench: /'
if (( avail_mb < need_mb )); then
  echo "bench: $avail_mb MB free under $OUT, need about $need_mb MB" >&2
  exit 2
fi

if [[ ! -f $INDEX ]]; then
  echo "bench: writing $INDEX with real Faiss" >&2
  bash "$REPO/scripts/faiss-fixtures.sh" --bench "$N" "$DIM" "$INDEX.tmp"
  mv "$INDEX.tmp" "$INDEX"
fi

cd "$REPO"
# shellcheck disable=SC2086
mvn -B -q ${BENCH_MVN_FLAGS:-} install -DskipTests -pl migration-bench -am
# shellcheck disable=SC2086
mvn -B -q ${BENCH_MVN_FLAGS:-} -pl migration-bench exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
  -Dexec.outputFile="$REPO/migration-bench/target/bench.classpath"
# private copies of the jars, so that a concurrent `mvn install` cannot swap them under a running benchmark
LIB=$REPO/migration-bench/target/bench-lib
rm -rf "$LIB" && mkdir -p "$LIB"
cp "$REPO"/migration-bench/target/migration-bench-*.jar "$LIB/bench.jar"
CP=$LIB/bench.jar
IFS=: read -ra entries < "$REPO/migration-bench/target/bench.classpath"
for e in "${entries[@]}"; do
  [[ $e == *.jar ]] || continue
  cp "$e" "$LIB/" && CP=$CP:$LIB/$(basename "$e")
done
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -cp "$CP" io.milvus.migration.bench.FaissDumpBench "$INDEX" "$OUT" "$ROUNDS"
