#!/usr/bin/env bash
# The Spark runner against the single-JVM run: one Faiss IVF file (default 1,000,000 x 128) migrated into the
# S3-backed Milvus with the files staged in its bucket on S3Proxy, first by Migration.run() in one JVM, then by
# SparkMigration on a Spark master (default local-cluster[2,1,2048]: two executor JVMs). Prints rows/s of each,
# when each stage began, and the machine's load average before and after (the machine is shared).
#
#   bash scripts/bench-spark.sh [ROWS [DIM [MASTER]]]
#
# Peers: starts S3Proxy and the S3-mode Milvus when they are not running (ports from the scripts' env knobs:
# S3_PORT, MILVUS_PORT, MILVUS_METRICS_PORT, MILVUS_ETCD_PORT, MILVUS_DATA_DIR), stops what it started.
# MVN_ARGS (e.g. -Dmaven.repo.local=...) go to every mvn call.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROWS=${1:-1000000}
DIM=${2:-128}
MASTER=${3:-local-cluster[2,1,2048]}
DIR=.peers/bench-spark
mkdir -p "$DIR"
read -r -a mvn_args <<<"${MVN_ARGS:-}"

started=()
trap 'for p in ${started[@]+"${started[@]}"}; do eval "$p"; done' EXIT
if ! scripts/s3-server.sh status >/dev/null 2>&1; then scripts/s3-server.sh start; started+=("scripts/s3-server.sh stop"); fi
eval "$(scripts/s3-server.sh env)"
export MILVUS_STORAGE=s3
if ! scripts/milvus-server.sh status >/dev/null 2>&1; then
  scripts/milvus-server.sh start; started=("MILVUS_STORAGE=s3 scripts/milvus-server.sh stop" ${started[@]+"${started[@]}"})
fi
eval "$(scripts/milvus-server.sh env)"

INDEX=$DIR/ivf-$ROWS-$DIM.index
[[ -s $INDEX ]] || scripts/faiss-fixtures.sh --bench "$ROWS" "$DIM" "$INDEX" --bench-type ivfflat

mvn -q -B -Dstyle.color=never "${mvn_args[@]}" install -DskipTests -pl migration-spark -am >&2
mvn -q -B -Dstyle.color=never "${mvn_args[@]}" -pl migration-spark dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$DIR/classpath.txt" >&2
rm -rf "$DIR/classes" "$DIR/test-classes"   # private copies: a concurrent build may clean target/
cp -r migration-spark/target/classes migration-spark/target/test-classes "$DIR/"
CP=$PWD/$DIR/test-classes:$PWD/$DIR/classes:$(cat "$DIR/classpath.txt")

export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY AWS_REGION=${S3_REGION:-us-east-1}
export SPARK_TESTING=1 SPARK_SCALA_VERSION=2.13   # local-cluster from Maven jars (see SparkLocalClusterIT)
java -Xmx3g -Dspark.test.home="$PWD/$DIR" -Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider \
  -Dlog4j2.level=warn -cp "$CP" io.milvus.migration.spark.SparkBench "$PWD/$INDEX" "$MASTER" 2>"$DIR/bench.log" \
  | tee "$DIR/bench.out" | grep -o 'bench-spark:.*'   # log lines may share stdout
