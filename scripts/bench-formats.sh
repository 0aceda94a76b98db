#!/usr/bin/env bash
# Rows/s of writing bulk files as NumPy, Parquet and row JSON (migration-bench's FormatBench), same rows in memory.
#
#   scripts/bench-formats.sh [ROWS] [ROUNDS]      default 200000 rows, 3 rounds; output in .peers/bench/formats
# Env knobs: BENCH_MVN_FLAGS (extra Maven flags, e.g. -o), BENCH_JAVA_OPTS (default -Xmx4g).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
mvn -B -q ${BENCH_MVN_FLAGS:-} install -DskipTests -pl migration-bench -am
mvn -B -q ${BENCH_MVN_FLAGS:-} -pl migration-bench exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
  -Dexec.outputFile="$REPO/migration-bench/target/formats.classpath"
java ${BENCH_JAVA_OPTS:--Xmx4g} -cp "$(cat "$REPO/migration-bench/target/formats.classpath")" \
  io.milvus.migration.bench.FormatBench "$REPO/.peers/bench/formats" "${1:-200000}" "${2:-3}"
