#!/usr/bin/env bash
# The training campaign's weights as a shipping candidate, then shipped if the held-out table says so.
#   bash scripts/campaign-candidate.sh read    # stop the campaign (checkpoint + export), calibrate, the held-out table
#   bash scripts/campaign-candidate.sh product # the candidate through the whole product (a server on :8001 with its
#                                              # weights, fp32, one worker): score.py, stance gold, undiscussed claims,
#                                              # identity pairs, the model-dependent integration tests; in
#                                              # the 46k archive where it is indexed (prefix evreach): added
#                                              # sides and evidence reach; build/product-candidate.txt
#   bash scripts/campaign-candidate.sh ship    # copy build/campaign/latest into stance/weights
# `read` takes ~15 min on 2 cores; it writes build/calibrate.log and build/generalization.txt (shipped weights
# against the candidate, fp32, 300 pairs a set, product decision). Ship only when the table is better on the sets
# the issue names; then refresh tests/unit/test_shipped_weights.py (PYTHONPATH=. .venv/bin/python
# tests/unit/test_shipped_weights.py) and the figures in docs/stance-model.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
CANDIDATE="${CANDIDATE:-build/campaign/latest}"  # another trained folder: CANDIDATE=build/x
case "${1:-}" in
  read)
    if pgrep -f "training.campaign" >/dev/null; then
      pkill -TERM -f "training.campaign"
      while pgrep -f "training.campaign" >/dev/null; do sleep 5; done  # checkpoint, evaluation and export
    fi
    [ -f "$CANDIDATE/stance-delta.pt" ] || $PY -m training.campaign --dir "$(dirname "$CANDIDATE")" --export-only
    $PY -m training.calibrate --weights "$CANDIDATE" --heldout build/stance/heldout.jsonl \
      --position-heldout build/stance-mix/heldout.jsonl --position-n 6000 | tee build/calibrate.log
    $PY bench/stance_generalization.py --fp32 --n 300 --weights stance/weights --weights "$CANDIDATE" \
      | tee build/generalization.txt
    ;;
  product)
    [ -f "$CANDIDATE/decision.json" ] || { echo "no $CANDIDATE/decision.json: run 'read' first" >&2; exit 1; }
    export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:9200}"
    URL=http://127.0.0.1:8001
    STANCE_WEIGHTS="$CANDIDATE" STANCE_BF16=false BIND=127.0.0.1:8001 WEB_CONCURRENCY=1 COMPARE_CACHE_BYTES=0 \
      .venv/bin/gunicorn --config gunicorn.conf.py api.wsgi:app > build/product-server.log 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true' EXIT
    for _ in $(seq 1 180); do curl -sf "$URL/v1/health" >/dev/null && break; sleep 1; done
    {
      echo "== $CANDIDATE through the product ($URL, fp32, one worker)"
      $PY ../shared/eval/score.py --base-url "$URL" | tail -15
      $PY bench/stance_gold.py --base-url "$URL" | tail -8
      $PY bench/undiscussed.py --base-url "$URL" | tail -4
      $PY bench/identity_pairs.py --fp32 --n 100 --weights "$CANDIDATE"
      echo "== the model-dependent integration tests with the candidate's weights"
      STANCE_WEIGHTS="$CANDIDATE" STANCE_BF16=false $PY -m pytest -q -p no:cacheprovider tests/integration/test_compare.py \
        tests/integration/test_stance.py tests/integration/test_watches.py tests/integration/test_origins.py 2>&1 | tail -8 || true
    } | tee build/product-candidate.txt
    # the 46k archive (bench/evidence_reach.py's docstring builds it as index prefix evreach), when this machine has it
    if curl -sf "$ELASTICSEARCH_URL/_alias/evreach-passages" >/dev/null; then
      kill $SERVER 2>/dev/null || true
      wait $SERVER 2>/dev/null || true
      INDEX_PREFIX=evreach STANCE_WEIGHTS="$CANDIDATE" STANCE_BF16=false BIND=127.0.0.1:8001 WEB_CONCURRENCY=1 \
        COMPARE_CACHE_BYTES=0 .venv/bin/gunicorn --config gunicorn.conf.py api.wsgi:app > build/product-server.log 2>&1 &
      SERVER=$!
      for _ in $(seq 1 180); do curl -sf "$URL/v1/health" >/dev/null && break; sleep 1; done
      $PY bench/added_sides.py --base-url "$URL" > build/added-sides-candidate.txt
      {
        echo "== $CANDIDATE in the 46k archive (INDEX_PREFIX=evreach)"
        echo "added sides (read them one by one: build/added-sides-candidate.txt): $(tail -1 build/added-sides-candidate.txt)"
        INDEX_PREFIX=evreach STANCE_WEIGHTS="$CANDIDATE" STANCE_BF16=false $PY bench/evidence_reach.py run 2>/dev/null
      } | tee -a build/product-candidate.txt
    fi
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
