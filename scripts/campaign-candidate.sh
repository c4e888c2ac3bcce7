#!/usr/bin/env bash
# The training campaign's weights as a shipping candidate, then shipped if the held-out table says so.
#   bash scripts/campaign-candidate.sh read    # stop the campaign (checkpoint + export), calibrate, the held-out table
#   bash scripts/campaign-candidate.sh ship    # copy build/campaign/latest into stance/weights
# `read` takes ~15 min on 2 cores; it writes build/calibrate.log and build/generalization.txt (shipped weights
# against the candidate, fp32, 300 pairs a set, product decision). Ship only when the table is better on the sets
# the issue names; then refresh tests/unit/test_shipped_weights.py (PYTHONPATH=. .venv/bin/python
# tests/unit/test_shipped_weights.py) and the figures in docs/stance-model.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
CANDIDATE=build/campaign/latest
case "${1:-}" in
  read)
    if pgrep -f "training.campaign" >/dev/null; then
      pkill -TERM -f "training.campaign"
      while pgrep -f "training.campaign" >/dev/null; do sleep 5; done  # checkpoint, evaluation and export
    fi
    [ -f "$CANDIDATE/stance-delta.pt" ] || $PY -m training.campaign --export-only
    $PY -m training.calibrate --weights "$CANDIDATE" --heldout build/stance/heldout.jsonl \
      --position-heldout build/stance-mix/heldout.jsonl --position-n 6000 | tee build/calibrate.log
    $PY bench/stance_generalization.py --fp32 --n 300 --weights stance/weights --weights "$CANDIDATE" \
      | tee build/generalization.txt
    ;;
  ship)
    for f in stance-delta.pt stance.json decision.json; do
      [ -f "$CANDIDATE/$f" ] || { echo "no $CANDIDATE/$f: run 'read' first" >&2; exit 1; }
    done
    cp "$CANDIDATE/stance-delta.pt" "$CANDIDATE/stance.json" "$CANDIDATE/decision.json" stance/weights/
    $PY -c "import json; m = json.load(open('stance/weights/stance.json')); print('shipped', m['trained_pairs'], 'pairs')"
    ;;
  *)
    echo "usage: $0 read|ship" >&2
    exit 2
    ;;
esac
