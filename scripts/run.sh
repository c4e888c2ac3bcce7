#!/usr/bin/env bash
# Set up everything, start Elasticsearch, index seeds/ and serve the API with gunicorn on 127.0.0.1:8000.
# --background: detach gunicorn (pid in .run/gunicorn.pid, log in .run/gunicorn.log) and return when it answers.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/elasticsearch.sh start
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
.venv/bin/python -m api index seeds
# the settings module checks the environment (a bad value stops here, named) and says where gunicorn will listen
BIND="$(.venv/bin/python -c 'from api.config import Settings; print(Settings.from_env().bind)')"
if [ "${1:-}" = "--background" ]; then
  mkdir -p .run
  if [ -f .run/gunicorn.pid ] && kill -0 "$(cat .run/gunicorn.pid)" 2>/dev/null; then
    echo "[run] gunicorn already running (pid $(cat .run/gunicorn.pid)); it serves the new index via the alias" >&2
    exit 0
  fi
  # not --daemon: the JSON logs go to stderr (gunicorn.conf.py), which this keeps in .run/gunicorn.log
  nohup .venv/bin/gunicorn --config gunicorn.conf.py --pid .run/gunicorn.pid api.wsgi:app >> .run/gunicorn.log 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('http://$BIND/v1/health', timeout=2)" 2>/dev/null; then
      echo "[run] serving on http://$BIND (stop: kill \$(cat .run/gunicorn.pid))" >&2; exit 0
    fi
    sleep 1
  done
  echo "[run] gunicorn did not answer; see .run/gunicorn.log" >&2; exit 1
fi
exec .venv/bin/python -m api serve
