#!/usr/bin/env bash
# What training needs beyond scripts/setup.sh (never serving): Debian's Apertium for the Bokmål pairs, sacrebleu
# for its quality figure. Idempotent; as root on Debian (elsewhere install the same packages by hand).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PKGS=(apertium apertium-swe-nor apertium-dan-nor apertium-recursive apertium-lex-tools apertium-separable cg3)
if ! command -v apertium >/dev/null 2>&1 || ! command -v rtx-proc >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PKGS[@]}" >/dev/null
  else
    echo "[training-setup] install the Debian packages ${PKGS[*]} and rerun" >&2; exit 1
  fi
fi
[ -x .venv/bin/python ] || bash scripts/setup.sh
.venv/bin/python -m pip install -q -e ".[model,training]"
echo "[training-setup] apertium: $(command -v apertium); pairs: swe-nob dan-nob" >&2
