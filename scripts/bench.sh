#!/usr/bin/env bash
# Benchmark: what a user sees. Fresh-process wall times of `milvus-migration dump` (the distribution's launcher,
# bin/milvus-migration, and `java -jar migration-cli.jar`) of real Faiss files against `dd bs=1M` and `cp` of the
# same bytes, in interleaved rounds (page cache warm; outputs deleted and synced between steps, outside the timing),
# with the CLI's peak RSS from /usr/bin/time -v; then the in-process figure (FaissDumpBench: a warmed JVM against an
# in-JVM copy).
#   scripts/bench.sh [ROWS...]          default 1000000 4000000 (or BENCH_ROWS="..."), dimension BENCH_DIM (128)
# Environment: BENCH_TYPES ("ivfflat flat"), BENCH_ROUNDS (5), BENCH_OUT (output directory, default
# .peers/bench/out on the same disk as the index), BENCH_JAVA_OPTS (JAVA_OPTS of the CLI runs), BENCH_INPROCESS
# (1: also run the in-process benchmark on the first size; 0: skip), BENCH_MVN_FLAGS (extra Maven flags, e.g. -o).
# Indexes are written once with real Faiss (scripts/faiss-fixtures.sh --bench) into .peers/bench/ and kept, about
# 4*N*(DIM+2) bytes each; nothing big is ever committed.
# Goals (issue 15), printed as PASS/FAIL: dd time / CLI time >= 0.7 at 1M rows and >= 0.9 from 4M rows on, for the
# launcher's median; the CLI's peak RSS <= 300 MiB without JVM flags. Exits 1 if a goal fails. The old Go tool is
# built and timed too if the Go module proxy serves it (it does not at the time of writing).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
read -ra SIZES <<< "${*:-${BENCH_ROWS:-1000000 4000000}}"
DIM=${BENCH_DIM:-128}
ROUNDS=${BENCH_ROUNDS:-5}
read -ra TYPES <<< "${BENCH_TYPES:-ivfflat flat}"
DIR=$REPO/.peers/bench
OUT=${BENCH_OUT:-$DIR/out}
mkdir -p "$DIR" "$OUT"
OUT=$(cd "$OUT" && pwd)

if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing Debian's time (for /usr/bin/time -v)" >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "bench: $(nproc) cores, load average $(load) at start; output in $OUT"
df -h "$OUT" | sed 's/^/bench: /'

# --- the indexes (real Faiss)
need_mb=64
for t in "${TYPES[@]}"; do
  for n in "${SIZES[@]}"; do
    f=$DIR/$t-${n}x$DIM.index
    [[ -f $f ]] || need_mb=$(( need_mb + n * (DIM + 2) * 4 / 1000000 ))
  done
done
max_n=0
for n in "${SIZES[@]}"; do (( n > max_n )) && max_n=$n; done
need_mb=$(( need_mb + max_n * (DIM + 2) * 4 / 1000000 ))   # one output at a time
avail_mb=$(df -Pm "$OUT" | awk 'NR == 2 {print $4}')
if (( avail_mb < need_mb )); then
  echo "bench: $avail_mb MB free under $OUT, need about $need_mb MB" >&2
  exit 2
fi
for t in "${TYPES[@]}"; do
  for n in "${SIZES[@]}"; do
    f=$DIR/$t-${n}x$DIM.index
    if [[ ! -f $f ]]; then
      echo "bench: writing $f with real Faiss" >&2
      bash "$REPO/scripts/faiss-fixtures.sh" --bench "$n" "$DIM" "$f.tmp" --bench-type "$t"
      mv "$f.tmp" "$f"
    fi
  done
done

# --- the CLI: the distribution unpacked into a private directory (a concurrent build cannot swap its jars)
cd "$REPO"
# shellcheck disable=SC2086
mvn -B -q ${BENCH_MVN_FLAGS:-} package -DskipTests -pl migration-cli -am
DIST=$DIR/dist
rm -rf "$DIST" && mkdir -p "$DIST"
tar xzf "$REPO"/migration-cli/target/milvus-migration-*.tar.gz -C "$DIST" --strip-components 1
cp "$REPO/migration-cli/target/migration-cli.jar" "$DIST/migration-cli.jar"
LAUNCHER=$DIST/bin/milvus-migration
echo "bench: $("$LAUNCHER" --version), $(java -version 2>&1 | head -n 1)"

# --- the old Go tool, only if the Go module proxy serves it
GO_TOOL=
if command -v go >/dev/null 2>&1; then
  if GOFLAGS=-mod=mod GOBIN=$DIR/go-bin timeout 300 go install github.com/zilliztech/milvus-migration@latest \
      >"$DIR/go-install.log" 2>&1; then
    GO_TOOL=$DIR/go-bin/milvus-migration
  else
    echo "bench: the Go tool is not on the Go module proxy ($(grep -m1 -o '[0-9][0-9][0-9] [A-Za-z ]*' \
      "$DIR/go-install.log" || echo 'go install failed')): reporting dd/cp ratios only"
  fi
fi

config() { # config INDEX OUTPUT_DIR > yaml
  cat <<EOF
dumper:
  worker:
    workMode: faiss
source:
  mode: local
  local:
    faissFile: $1
target:
  mode: local
  local:
    outputDir: $2
  create:
    collection:
      name: bench
EOF
}

# run NAME CMD...: one timed step in a fresh process; appends "seconds rss_kb" to $RES/NAME
run() {
  local name=$1; shift
  rm -rf "$OUT/step"; mkdir -p "$OUT/step"; sync
  if ! /usr/bin/time -f "%e %M" -o "$RES/$name.last" "$@" >"$RES/$name.log" 2>&1; then
    echo "bench: $name failed:" >&2; tail -n 20 "$RES/$name.log" >&2; exit 1
  fi
  cat "$RES/$name.last" >> "$RES/$name"
}

stats() { # stats FILE COLUMN -> "median min max"
  awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR] = $1} END {printf "%s %s %s", a[int((NR + 1) / 2)], a[1], a[NR]}'
}

fail=0
summary=()
for t in "${TYPES[@]}"; do
  for n in "${SIZES[@]}"; do
    INDEX=$DIR/$t-${n}x$DIM.index
    RES=$DIR/results/$t-$n
    rm -rf "$RES" && mkdir -p "$RES"
    config "$INDEX" "$OUT/step" > "$RES/migration.yaml"
    size=$(stat -c %s "$INDEX")
    cat "$INDEX" > /dev/null   # page cache warm
    # untimed: the first launcher run writes its class-data archive; one of each to warm caches
    JAVA_OPTS=${BENCH_JAVA_OPTS:-} run warmup "$LAUNCHER" dump --config "$RES/migration.yaml"
    # shellcheck disable=SC2086
    run warmup java ${BENCH_JAVA_OPTS:-} -jar "$DIST/migration-cli.jar" dump --config "$RES/migration.yaml"
    steps=(dd cp cli jar)
    [[ -n $GO_TOOL ]] && steps+=(go)
    for ((r = 1; r <= ROUNDS; r++)); do
      for s in "${steps[@]}"; do
        case $s in
          dd) run dd dd if="$INDEX" of="$OUT/step/copy" bs=1M ;;
          cp) run cp cp "$INDEX" "$OUT/step/copy" ;;
          cli) JAVA_OPTS=${BENCH_JAVA_OPTS:-} run cli "$LAUNCHER" dump --config "$RES/migration.yaml" ;;
          # shellcheck disable=SC2086
          jar) run jar java ${BENCH_JAVA_OPTS:-} -jar "$DIST/migration-cli.jar" dump --config "$RES/migration.yaml" ;;
          go) run go "$GO_TOOL" dump --config "$RES/migration.yaml" ;;
        esac
      done
    done
    rm -rf "$OUT/step"
    grep -q "$n rows read" "$RES/cli.log" \
      || { echo "bench: the CLI did not report $n rows:" >&2; cat "$RES/cli.log" >&2; exit 1; }
    read -r dd_med dd_min dd_max <<< "$(stats "$RES/dd" 1)"
    read -r cp_med cp_min cp_max <<< "$(stats "$RES/cp" 1)"
    read -r cli_med cli_min cli_max <<< "$(stats "$RES/cli" 1)"
    read -r jar_med jar_min jar_max <<< "$(stats "$RES/jar" 1)"
    read -r rss_med _ rss_max <<< "$(stats "$RES/cli" 2)"
    read -r jrss_med _ jrss_max <<< "$(stats "$RES/jar" 2)"
    ratio=$(awk -v a="$dd_med" -v b="$cli_med" 'BEGIN {printf "%.2f", a / b}')
    goal=0.7; (( n >= 4000000 )) && goal=0.9
    ok_speed=$(awk -v r="$ratio" -v g="$goal" 'BEGIN {print (r >= g) ? "PASS" : "FAIL"}')
    if (( rss_max <= 300 * 1024 )); then ok_rss=PASS; else ok_rss=FAIL; fi
    [[ $ok_speed == PASS && $ok_rss == PASS ]] || fail=1
    printf '\n%s %d x %d (%s bytes), %d interleaved rounds, seconds as median [min, max]; load %s\n' \
      "$t" "$n" "$DIM" "$size" "$ROUNDS" "$(load)"
    printf '  dd bs=1M        %6.2f [%.2f, %.2f]\n' "$dd_med" "$dd_min" "$dd_max"
    printf '  cp              %6.2f [%.2f, %.2f]\n' "$cp_med" "$cp_min" "$cp_max"
    printf '  bin/milvus-migration dump %6.2f [%.2f, %.2f]  peak RSS %d MiB (max %d)   dd/cli %.2f  cp/cli %.2f\n' \
      "$cli_med" "$cli_min" "$cli_max" $(( rss_med / 1024 )) $(( rss_max / 1024 )) "$ratio" \
      "$(awk -v a="$cp_med" -v b="$cli_med" 'BEGIN {print a / b}')"
    printf '  java -jar dump  %6.2f [%.2f, %.2f]  peak RSS %d MiB (max %d)   dd/jar %.2f\n' \
      "$jar_med" "$jar_min" "$jar_max" $(( jrss_med / 1024 )) $(( jrss_max / 1024 )) \
      "$(awk -v a="$dd_med" -v b="$jar_med" 'BEGIN {print a / b}')"
    if [[ -n $GO_TOOL ]]; then
      read -r go_med go_min go_max <<< "$(stats "$RES/go" 1)"
      printf '  Go tool dump    %6.2f [%.2f, %.2f]   go/cli %.2f (goal >= 5)\n' "$go_med" "$go_min" "$go_max" \
        "$(awk -v a="$go_med" -v b="$cli_med" 'BEGIN {print a / b}')"
    fi
    printf '  goal dd/cli >= %s: %s; peak RSS <= 300 MiB: %s\n' "$goal" "$ok_speed" "$ok_rss"
    summary+=("$t ${n}x$DIM: dd/cli $ratio (goal $goal) $ok_speed, RSS max $(( rss_max / 1024 )) MiB $ok_rss")
  done
done

echo
echo "bench: load average $(load) at the end"
printf 'bench: %s\n' "${summary[@]}"

if [[ ${BENCH_INPROCESS:-1} == 1 ]]; then
  echo
  echo "bench: in-process figure (warmed JVM, FaissDumpBench) on ${TYPES[0]} ${SIZES[0]} x $DIM"
  # shellcheck disable=SC2086
  mvn -B -q ${BENCH_MVN_FLAGS:-} install -DskipTests -pl migration-bench -am
  # shellcheck disable=SC2086
  mvn -B -q ${BENCH_MVN_FLAGS:-} -pl migration-bench exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
    -Dexec.outputFile="$REPO/migration-bench/target/bench.classpath"
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
  java ${BENCH_JAVA_OPTS:-} -cp "$CP" io.milvus.migration.bench.FaissDumpBench \
    "$DIR/${TYPES[0]}-${SIZES[0]}x$DIM.index" "$OUT" 3 || fail=1
fi
exit $fail
