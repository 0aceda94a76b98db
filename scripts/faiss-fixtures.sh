#!/usr/bin/env bash
# Writes the Faiss test fixtures with real Faiss (pinned in requirements-fixtures.txt) into OUTPUT_DIR.
#   scripts/faiss-fixtures.sh OUTPUT_DIR [--only NAME ...]
#   scripts/faiss-fixtures.sh --bench N DIM PATH
# The venv lives in .peers/faiss-venv and is reused while the requirements are unchanged.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$REPO/.peers/faiss-venv
REQ=$REPO/scripts/requirements-fixtures.txt
if ! cmp -s "$REQ" "$VENV/requirements.txt" 2>/dev/null; then
  echo "faiss-fixtures: installing $(tr '\n' ' ' < "$REQ")into $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi
exec "$VENV/bin/python" "$REPO/scripts/faiss_fixtures.py" "$@"
