#!/usr/bin/env bash
# A third party's plug-in, as one is written and used: examples/plugin-csv is a Maven project outside the reactor
# (no parent) whose jar depends on the installed migration-api alone (its enforcer checks that). Its build runs
# its unit tests, packages the jar, then CsvPluginIT: the jar alone in a plug-in folder, the CLI's runnable jar
# (migration-cli/target/migration-cli.jar, which does not hold the plug-in) runs `start --plugins DIR` on a
# migration.yaml naming workMode csv, a source.csv section and a transforms: list with the plug-in's uppercase and
# the built-in filterRows, and every row is then read back from Milvus; then the same config is submitted to the
# CLI jar's REST server (`serve --plugins DIR`) and checked again.
#
#   mvn install -DskipTests   # the reactor first (scripts/test.sh does `mvn install`)
#   eval "$(scripts/milvus-server.sh env)"; scripts/plugin-test.sh
#
# Needs MILVUS_URI (a running scripts/milvus-server.sh; local staging, so Milvus reads the files by path). Maven runs
# offline (-o) after a first resolution that may download what the reactor did not use. Takes about 60 s
# (most of it the two migrations into Milvus; 85 s on a busy machine).
# PLUGIN_MVN_ARGS go to the mvn call (such as -Dmaven.repo.local=DIR when the reactor was installed there;
# scripts/test.sh passes its own on). MIGRATION_CLI_JAR overrides the CLI jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${MILVUS_URI:?MILVUS_URI is not set: start scripts/milvus-server.sh and eval \"\$(scripts/milvus-server.sh env)\"}"
t0=$SECONDS
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
pom=examples/plugin-csv/pom.xml
grep -q "<migration.version>$version</migration.version>" "$pom" \
  || { echo "plugin-test: $pom does not use version $version" >&2; exit 1; }
MIGRATION_CLI_JAR=${MIGRATION_CLI_JAR:-$PWD/migration-cli/target/migration-cli.jar}
[[ -f $MIGRATION_CLI_JAR ]] || { echo "plugin-test: no $MIGRATION_CLI_JAR: run mvn install first" >&2; exit 1; }
export MIGRATION_CLI_JAR
read -ra extra <<<"${PLUGIN_MVN_ARGS:-}"
mvnp() { mvn -B -q -Dstyle.color=never ${extra[@]+"${extra[@]}"} -f "$pom" "$@"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# offline when the local repository has everything; else once online
mvnp -o clean verify >"$log" 2>&1 || {
  if grep -q "offline mode" "$log"; then
    echo "plugin-test: resolving online" >&2
    mvnp clean verify
  else
    cat "$log" >&2
    exit 1
  fi
}
echo "plugin-test: passed in $((SECONDS - t0)) s" >&2
