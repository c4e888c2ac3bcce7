#!/usr/bin/env bash
# Install everything the project needs into .venv and provision Elasticsearch (idempotent).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"

log() { printf '[setup] %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    log "missing system packages ($*); install them and rerun"; exit 1
  fi
}

command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3 python3-venv python3-dev
"$PYTHON" - <<'PY' || { echo "[setup] Python 3.11 is required (set PYTHON=...)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)
PY
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    apt_install python3-venv
    "$PYTHON" -m venv "$VENV"
  fi
fi
command -v gcc >/dev/null 2>&1 || apt_install build-essential
# the page test (tests/system/test_page.py) drives Debian's chromium through its chromedriver: only the test run
# asks for them (WITH_BROWSER=1); serving needs neither
if [ "${WITH_BROWSER:-0}" = "1" ] && ! { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }; then
  if [ "$(id -u)" = "0" ]; then apt_install chromium chromium-driver
  else log "chromium/chromedriver missing: the browser test will fail in CI (install Debian's chromium chromium-driver)"; fi
fi
STAMP="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$STAMP" ]; then
  log "installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # torch first and pinned: the CPU build; a later resolution never swaps in a CUDA one
  "$VENV/bin/python" -m pip install -q "torch==2.13.0"
  "$VENV/bin/python" -m pip install -q -e ".[model,test]"
  touch "$STAMP"
else
  log "Python packages up to date"
fi
bash "$ROOT/scripts/elasticsearch.sh" install
