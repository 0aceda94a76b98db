#!/usr/bin/env bash
# Upload/download throughput of one file to the local S3 server (scripts/s3-server.sh, S3Proxy on loopback) through
# S3Storage and through the AWS CLI (PyPI awscli, pinned, in .peers/awscli-venv), alternating in the same run.
#
#   bash scripts/bench-s3.sh [MiB [ROUNDS]]     # default 1024 MiB, 3 rounds; prints the median MB/s of each
#
# The file is random bytes written once into .peers/bench-s3/. Each download is checked against the file (cmp).
# S3Storage: part size BENCH_PART_MIB (16) and BENCH_CONCURRENCY (4) parts at once; the AWS CLI with its defaults
# (8 MiB parts, 10 requests at once). Times are wall clock per command, process start included for both (a JVM,
# a Python); page cache warm, no fsync.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MIB=${1:-1024}
ROUNDS=${2:-3}
AWSCLI_VERSION=1.46.2
DIR=.peers/bench-s3
VENV=.peers/awscli-venv
mkdir -p "$DIR"

started=false
if ! scripts/s3-server.sh status >/dev/null 2>&1; then scripts/s3-server.sh start; started=true; fi
trap '$started && scripts/s3-server.sh stop; rm -f "$DIR"/down.bin' EXIT
eval "$(scripts/s3-server.sh env)"

if [[ $("$VENV/bin/aws" --version 2>&1) != aws-cli/$AWSCLI_VERSION* ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "awscli==$AWSCLI_VERSION"
fi
mvn -q -B -Dstyle.color=never install -DskipTests -pl migration-storage/s3 -am >&2
mvn -q -B -Dstyle.color=never -pl migration-storage/s3 dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$DIR/classpath.txt" >&2
# private copies: a concurrent build of the module may clean its target/ while the benchmark runs
rm -rf "$DIR/classes" "$DIR/test-classes"
cp -r migration-storage/s3/target/classes migration-storage/s3/target/test-classes "$DIR/"
CP=$DIR/test-classes:$DIR/classes:$(cat "$DIR/classpath.txt")

SRC=$DIR/src-$MIB.bin
if [[ ! -s $SRC || $(stat -c %s "$SRC") != $((MIB << 20)) ]]; then
  echo "bench-s3: writing $MIB MiB of random bytes to $SRC" >&2
  head -c $((MIB << 20)) /dev/urandom >"$SRC"
fi
BYTES=$(stat -c %s "$SRC")

export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY AWS_DEFAULT_REGION=$S3_REGION
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
aws() { "$VENV/bin/aws" --endpoint-url "$S3_ENDPOINT" "$@"; }
java_() {
  java -Xmx256m -Dbench.partMiB="${BENCH_PART_MIB:-16}" -Dbench.concurrency="${BENCH_CONCURRENCY:-4}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.milvus.migration.storage.S3Bench "$@"
}
now() { date +%s.%N; }
mbs() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6 / float(sys.argv[2]):.0f}')" "$BYTES" "$1"; }

declare -A results
for r in $(seq 1 "$ROUNDS"); do
  key=bench/round-$r.bin
  t0=$(now); java_ upload "$SRC" "$key-java" >/dev/null; t1=$(now)
  results[java_up]+="$(mbs "$(python3 -c "print($t1 - $t0)")") "
  t0=$(now); java_ download "$DIR/down.bin" "$key-java" >/dev/null; t1=$(now)
  results[java_down]+="$(mbs "$(python3 -c "print($t1 - $t0)")") "
  cmp -s "$SRC" "$DIR/down.bin" || { echo "bench-s3: S3Storage download differs from the file" >&2; exit 1; }
  rm -f "$DIR/down.bin"
  t0=$(now); aws s3 cp --only-show-errors "$SRC" "s3://$S3_BUCKET/$key-cli"; t1=$(now)
  results[cli_up]+="$(mbs "$(python3 -c "print($t1 - $t0)")") "
  t0=$(now); aws s3 cp --only-show-errors "s3://$S3_BUCKET/$key-cli" "$DIR/down.bin"; t1=$(now)
  results[cli_down]+="$(mbs "$(python3 -c "print($t1 - $t0)")") "
  cmp -s "$SRC" "$DIR/down.bin" || { echo "bench-s3: AWS CLI download differs from the file" >&2; exit 1; }
  rm -f "$DIR/down.bin"
  aws s3 rm --only-show-errors --recursive "s3://$S3_BUCKET/bench/"
  echo "bench-s3: round $r done; MB/s so far: S3Storage up [${results[java_up]% }] down [${results[java_down]% }]," \
    "AWS CLI up [${results[cli_up]% }] down [${results[cli_down]% }]" >&2
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "file $BYTES bytes, $ROUNDS rounds, S3Proxy $(grep -o 'S3PROXY_VERSION=[0-9.]*' scripts/s3-server.sh | cut -d= -f2) filesystem backend on 127.0.0.1; MB/s (1e6 bytes/s, wall clock incl. process start), median [all]"
printf '%-34s %6s MB/s  [%s]\n' \
  "S3Storage upload (part ${BENCH_PART_MIB:-16} MiB x${BENCH_CONCURRENCY:-4})" "$(median <<<"${results[java_up]}")" "${results[java_up]% }" \
  "AWS CLI $AWSCLI_VERSION upload" "$(median <<<"${results[cli_up]}")" "${results[cli_up]% }" \
  "S3Storage download (one stream)" "$(median <<<"${results[java_down]}")" "${results[java_down]% }" \
  "AWS CLI $AWSCLI_VERSION download" "$(median <<<"${results[cli_down]}")" "${results[cli_down]% }"
