#!/usr/bin/env bash
# Run the whole suite (lint, types, unit, integration, contract) against a real Elasticsearch this script starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WITH_BROWSER=1 bash scripts/setup.sh
STARTED=0
if ! bash scripts/elasticsearch.sh status >/dev/null 2>&1; then STARTED=1; fi
bash scripts/elasticsearch.sh start
cleanup() { if [ "$STARTED" = "1" ] && [ "${KEEP_ES:-0}" != "1" ]; then bash scripts/elasticsearch.sh stop || true; fi; }
trap cleanup EXIT
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
# The fault tests stop and start the node this script manages (never a cluster it did not start).
export ES_CONTROL="${ES_CONTROL:-bash $ROOT/scripts/elasticsearch.sh}"
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
mkdir -p test-output
.venv/bin/python -m pytest -m "not faults and not cluster" --durations=15 "$@"
echo "== pytest: Elasticsearch faults (stops and restarts the node)"
.venv/bin/python -m pytest -m faults "$@"
echo "== pytest: a local cluster of three nodes, one stopped under reads and writes"
.venv/bin/python -m pytest -m cluster "$@"
