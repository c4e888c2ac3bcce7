"""Judge given passages against a claim with the same model and decision layer as compare."""

from __future__ import annotations

from typing import Any

from index.language import detect
from stance.engine import engine


def model_info() -> dict[str, Any]:
    """What the shipped model and its decision layer are, with the held-out figures they were calibrated on."""
    eng = engine()
    decision = eng.decision or {}
    check = decision.get("position_check") or {}
    return {
        "name": "e5-small stance cross-encoder",
        "training_sets": eng.meta.get("training_sets", []),
        "temperature": decision.get("temperature", 1.0),
        "side_probability": decision.get("side_probability"),
        "relevance": decision.get("relevance"),
        "heldout": {k: check[k] for k in ("n", "accuracy", "sided_precision", "ece") if k in check},
    }


def judge_passages(claim: str, passages: list[str]) -> dict[str, Any]:
    """Stance, confidence and attribution of each passage toward the claim."""
    claim = claim.strip()
    languages = [detect(p, fallback="en") for p in passages]
    verdicts = engine().judge(claim, passages, languages)
    return {
        "claim": claim,
        "claim_language": detect(claim, fallback="und"),
        "results": [
            {
                "index": i,
                "text": p,
                "language": lang,
                "stance": v.stance,
                "confidence": v.confidence,
                "on_topic": v.on_topic,
                "attribution": v.attribution.as_dict() if v.attribution else None,
                "probabilities": v.probabilities,
            }
            for i, (p, lang, v) in enumerate(zip(passages, languages, verdicts, strict=True))
        ],
        "model": model_info(),
    }
