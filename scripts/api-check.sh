#!/usr/bin/env bash
# Schemathesis against the REST server of the built jar: starts `java -jar migration-cli/target/migration-cli.jar
# serve` on a free loopback port in a scratch directory with a fresh token, runs scripts/schemathesis.sh against its
# /api/v2/openapi.json (no 5xx; status codes, content types, headers and bodies as described; 405 for methods it
# lacks; 401 without the token), and stops the server again. Run after `mvn package`; scripts/test.sh does.
#   SCHEMATHESIS_EXAMPLES (30): test cases per operation and phase.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$REPO/migration-cli/target/migration-cli.jar
[[ -f $JAR ]] || { echo "api-check: $JAR is missing; run mvn package first" >&2; exit 1; }
"$REPO/scripts/schemathesis.sh" install
work=$(mktemp -d)
token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
( cd "$work" && MIGRATION_SERVER_TOKEN=$token exec java -jar "$JAR" serve --port 0 >serve.out 2>&1 ) &
server=$!
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT
url=
for _ in $(seq 1 300); do
  url=$(grep -o 'listening on http://[^ ]*' "$work/serve.out" 2>/dev/null | cut -d' ' -f3) && [[ -n $url ]] && break
  kill -0 "$server" 2>/dev/null || { echo "api-check: the server did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { echo "api-check: the server did not start in 30 s" >&2; exit 1; }
echo "api-check: schemathesis against $url" >&2
rc=0
"$REPO/scripts/schemathesis.sh" run "$url" "$token" || rc=$?
exit "$rc"
