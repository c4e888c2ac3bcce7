"""Judge given passages against a claim with the same model and decision layer as compare."""

from __future__ import annotations

from typing import Any

from stance.engine import engine
from text.language import detect, detect_claim


def judge_passages(claim: str, passages: list[str], claim_language: str | None = None) -> dict[str, Any]:
    """Stance, confidence and attribution of each passage toward the claim (claim_language overrides detection)."""
    claim = claim.strip()
    claim_lang = claim_language or detect_claim(claim)
    languages = [detect(p, fallback="en") for p in passages]
    verdicts = engine().judge(claim, passages, languages, claim_lang=claim_lang)
    return {
        "claim": claim,
        "claim_language": claim_lang,
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
        "model": engine().describe(),
    }
