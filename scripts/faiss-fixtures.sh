#!/usr/bin/env bash
# Writes the Faiss test fixtures with real Faiss (pinned in requirements-fixtures.txt) into OUTPUT_DIR.
#   scripts/faiss-fixtures.sh OUTPUT_DIR [--only NAME ...]
#   scripts/faiss-fixtures.sh --bench N DIM PATH [--bench-type ivfflat|flat]
# The venv lives in .peers/faiss-venv and is reused while the requirements are unchanged.
# FAISS_VERSION=1.7 writes them with the older Faiss 1.7.x instead (requirements-fixtures-faiss17.txt, venv
# .peers/faiss17-venv), whose file format differs in places (a binary ID map's header carries code size 0).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${FAISS_VERSION:-} in
  "" | current) VENV=$REPO/.peers/faiss-venv REQ=$REPO/scripts/requirements-fixtures.txt ;;
  1.7) VENV=$REPO/.peers/faiss17-venv REQ=$REPO/scripts/requirements-fixtures-faiss17.txt ;;
  *) echo "faiss-fixtures: FAISS_VERSION must be empty, current or 1.7, not '$FAISS_VERSION'" >&2; exit 2 ;;
esac
if ! cmp -s "$REQ" "$VENV/requirements.txt" 2>/dev/null; then
  echo "faiss-fixtures: installing $(tr '\n' ' ' < "$REQ")into $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi
exec "$VENV/bin/python" "$REPO/scripts/faiss_fixtures.py" "$@"
