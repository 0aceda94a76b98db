#!/usr/bin/env bash
# Schemathesis (PyPI "schemathesis") against a running migration server's OpenAPI description.
#
#   scripts/schemathesis.sh install
#   scripts/schemathesis.sh run BASE_URL TOKEN [extra st args]   # e.g. http://127.0.0.1:8080 s3cr3t
#
# Installs into .peers/schemathesis-venv (pinned). `run` fetches BASE_URL/api/v2/openapi.json and checks that no
# response is a 5xx and that every response (status, content type, headers, body) matches the description.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$REPO/.peers/schemathesis-venv

log() { echo "schemathesis: $*" >&2; }

install() {
  if [[ $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null) \
        != "$SCHEMATHESIS_VERSION" ]]; then
    log "installing schemathesis==$SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
  fi
}

run() {
  local base=$1 token=$2; shift 2
  install
  cd "$REPO/.peers"   # schemathesis keeps its example cache (.schemathesis/) in the working directory
  "$VENV/bin/st" run "$base/api/v2/openapi.json" --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method,allow_header_conformance,ignored_auth \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-30}" --seed 42 --no-color --request-timeout 30 "$@"
}

case ${1:-} in
  install) install ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 install|run BASE_URL TOKEN" >&2; exit 2 ;;
esac
