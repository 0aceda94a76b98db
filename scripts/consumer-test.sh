#!/usr/bin/env bash
# The library as a user adds it: examples/consumer is a Maven project outside the reactor that depends only on the
# installed artefacts the README names, once through migration-bom (bom/pom.xml) and once with a version on every
# module (plain/pom.xml). For each: its enforcer checks the tree a user gets (convergence, one gRPC version), the
# README's program (src/main/java/example/MigrateFaiss.java, shown verbatim in the README) runs as a plain `java`
# main and then inside a JUnit test, and the test checks every row of both runs in Milvus.
#
#   mvn install -DskipTests   # the reactor first (scripts/test.sh does `mvn install`)
#   eval "$(scripts/milvus-server.sh env)"; scripts/consumer-test.sh
#
# Needs MILVUS_URI (a running scripts/milvus-server.sh; local storage, so staged files are read by path). Maven runs
# offline (-o) after a first resolution that may download what the reactor did not use (maven-dependency-plugin).
# Takes about 50 s (two variants; each a Maven build, a java main and a JUnit run, 1,500 rows of dim 20).
# CONSUMER_VARIANTS (default "bom plain") picks the variants; CONSUMER_MVN_ARGS go to every mvn call (such as
# -Dmaven.repo.local=DIR when the reactor was installed there; scripts/test.sh passes its own on).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${MILVUS_URI:?MILVUS_URI is not set: start scripts/milvus-server.sh and eval \"\$(scripts/milvus-server.sh env)\"}"
t0=$SECONDS
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
for pom in examples/consumer/{bom,plain}/pom.xml; do   # the README and these poms name the reactor's version
  grep -q "<version>$version</version>" "$pom" || { echo "consumer-test: $pom does not use version $version" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/faiss-fixtures.sh "$work/faiss" --only idmap_ivfflat >/dev/null
read -ra extra <<<"${CONSUMER_MVN_ARGS:-}"
mvnc() { mvn -B -q -Dstyle.color=never ${extra[@]+"${extra[@]}"} "$@"; }
for variant in ${CONSUMER_VARIANTS:-bom plain}; do
  pom=examples/consumer/$variant/pom.xml
  # offline when the local repository has everything (after the reactor's install it lacks at most the dependency
  # plugin); else once online
  build=(-f "$pom" clean test-compile dependency:build-classpath -Dmdep.includeScope=runtime
    -Dmdep.outputFile="$work/$variant.classpath")
  mvnc -o "${build[@]}" >"$work/build.log" 2>&1 || { echo "consumer-test: $variant: resolving online" >&2; mvnc "${build[@]}"; }
  grpc=$(tr ':' '\n' <"$work/$variant.classpath" | sed -n 's|.*/io/grpc/[^/]*/\([^/]*\)/.*|\1|p' | sort -u)
  [[ $(wc -l <<<"$grpc") == 1 ]] || { echo "consumer-test: $variant: several gRPC versions: $grpc" >&2; exit 1; }
  collection=consumer_main_${variant}_$$
  echo "consumer-test: $variant: java main (gRPC $grpc) -> $collection" >&2
  java -cp "examples/consumer/$variant/target/classes:$(cat "$work/$variant.classpath")" example.MigrateFaiss \
    "$work/faiss/idmap_ivfflat.index" "$MILVUS_URI" "$collection" "$work/staging-$variant"
  echo "consumer-test: $variant: JUnit (the program again, rows of both runs checked in Milvus)" >&2
  CONSUMER_FAISS_DIR=$work/faiss CONSUMER_MAIN_COLLECTION=$collection mvnc -o -f "$pom" surefire:test
done
echo "consumer-test: passed in $((SECONDS - t0)) s" >&2
